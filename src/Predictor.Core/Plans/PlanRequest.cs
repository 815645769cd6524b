using System.Collections.Immutable;
using Predictor.Core.Configuration;
using Predictor.Core.Inventory;

namespace Predictor.Core.Plans;

/// <summary>What kind of update a host needs, which decides the ladder rungs open to it.</summary>
public enum UpdateKind
{
    /// <summary>Can be applied as a hot patch (rung A).</summary>
    HotPatchable,

    /// <summary>
    /// Updates the hypervisor's userspace (QEMU): each VM's hypervisor process can be replaced in place with its
    /// RAM shared rather than copied (hot restart, between rungs A and B) where the host supports it; elsewhere it
    /// is treated like <see cref="HostComponent"/>. Kinds are ordered by impact: a host with several updates gets the
    /// most impactful one's rung.
    /// </summary>
    Hypervisor,

    /// <summary>Needs a host component restarted; VMs can stay in RAM, paused (rung B) if their series allows it.</summary>
    HostComponent,

    /// <summary>Needs the host rebooted or redeployed: VMs must leave or accept the owner's window (rungs C, D).</summary>
    Reboot,
}

/// <summary>An update pending on a host.</summary>
public sealed record HostUpdate(string Host, string UpdateId, UpdateKind Kind);

/// <summary>A host predicted to fail: it must be empty before <paramref name="Deadline"/> when one is known.</summary>
/// <param name="Host">Host id.</param>
/// <param name="Deadline">Predicted failure time in seconds from plan start; null when unknown.</param>
/// <param name="Probability">Assessed probability of failure within the horizon.</param>
public sealed record AtRiskHost(string Host, double? Deadline, double Probability);

/// <summary>An owner's choice for a VM: approve now, or a slot (seconds from plan start) inside the self-service window.</summary>
public sealed record OwnerChoice(string Vm, bool ApproveNow, double? NotBeforeS);

/// <summary>Everything a planner needs to plan one pass.</summary>
/// <param name="Inventory">Current hosts, VMs and states.</param>
/// <param name="AtRisk">Hosts to evacuate, most urgent first or in any order.</param>
/// <param name="Updates">Pending host updates for the ladder; empty for evacuation only.</param>
/// <param name="Limits">Concurrency, overcommit and other limits.</param>
/// <param name="Options">Planner settings such as downtime limit and headroom.</param>
public sealed record PlanRequest(
    DatacenterInventory Inventory,
    ImmutableArray<AtRiskHost> AtRisk,
    ImmutableArray<HostUpdate> Updates,
    PlanLimits Limits,
    PlanningOptions Options)
{
    public ImmutableArray<OwnerChoice> OwnerChoices { get; init; } = [];

    /// <summary>
    /// Hosts whose post-update health check failed in the running rollout. When any is given the rollout
    /// stops: no update is planned (evacuations still are) until an operator clears the failure.
    /// </summary>
    public ImmutableArray<string> HealthFailedHosts { get; init; } = [];

    /// <summary>
    /// Updates waiting for a later turn of the rollout (not planned now). Planners place VMs on these hosts
    /// only when nothing else fits, since the hosts will be emptied or paused later and a VM should rarely move twice.
    /// </summary>
    public ImmutableArray<HostUpdate> LaterUpdates { get; init; } = [];

    /// <summary>VM criticality from the CMDB (higher moves first among equal deadlines); VMs not listed have 0.</summary>
    public ImmutableDictionary<string, int> VmCriticality { get; init; } = ImmutableDictionary<string, int>.Empty;
}

/// <summary>Settings that shape plans.</summary>
[OptionsSection("Planning")]
public sealed record PlanningOptions
{
    /// <summary>Longest acceptable live-migration pause.</summary>
    /// <value>The default value is 500 ms.</value>
    [InRange(typeof(TimeSpan), "00:00:00", InRangeAttribute.Unbounded, MinimumIsExclusive = true)]
    public TimeSpan MaxDowntime { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Share of each destination's memory, cores and disk kept free.</summary>
    /// <value>The default value is 0.05.</value>
    [InRange(0.0, 1.0, MaximumIsExclusive = true)]
    public double HeadroomFraction { get; init; } = 0.05;

    /// <summary>How long a self-service window stays open for owners before it is scheduled automatically.</summary>
    /// <value>The default value is 14 days.</value>
    public TimeSpan SelfServiceWindow { get; init; } = TimeSpan.FromDays(14);

    /// <summary>Blackout of a cold move (stop, copy, boot), per GiB of disk plus a boot time.</summary>
    /// <value>The default value is 60 s boot.</value>
    public TimeSpan ColdMoveBootTime { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>Turns the current state into a plan. Implementations are pure: same request, same plan.</summary>
public interface IMaintenancePlanner
{
    MaintenancePlan Plan(PlanRequest request, CancellationToken cancellationToken = default);
}
