using System.Collections.Immutable;
using Predictor.Core.Configuration;
using System.Text.Json.Serialization;

namespace Predictor.Core.Plans;

/// <summary>How a VM moves: running (live) or stopped, copied and started again (cold).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MigrationKind>))]
public enum MigrationKind
{
    [JsonStringEnumMemberName("live")]
    Live,

    [JsonStringEnumMemberName("cold")]
    Cold,
}

/// <summary>The rungs of the maintenance ladder, from least to most impactful.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MaintenanceAction>))]
public enum MaintenanceAction
{
    /// <summary>Rung A: new calls go to the patched function; VMs notice nothing.</summary>
    [JsonStringEnumMemberName("hot-patch")]
    HotPatch,

    /// <summary>
    /// Between rungs A and B: each staying VM's hypervisor process is replaced in place (RAM shared, not copied),
    /// so a VM pauses only for its device-state transfer, tens of milliseconds.
    /// </summary>
    [JsonStringEnumMemberName("hot-restart")]
    HotRestart,

    /// <summary>Rung B: VMs paused with memory kept in RAM, host component updated, VMs resumed.</summary>
    [JsonStringEnumMemberName("memory-preserving")]
    MemoryPreserving,

    /// <summary>Rung C: the owner picks the moment inside a window; then it is scheduled automatically.</summary>
    [JsonStringEnumMemberName("self-service")]
    SelfService,

    /// <summary>Rung D: VMs are live-migrated away, then the host is updated empty.</summary>
    [JsonStringEnumMemberName("live-migration")]
    LiveMigration,
}

/// <summary>One VM move. Times are seconds from plan start.</summary>
public sealed record MigrationStep(
    string Vm,
    string From,
    string To,
    MigrationKind Kind,
    double StartS,
    double EndS,
    double MemoryGiB,
    double EstimatedDowntimeMs,
    string Reason);

/// <summary>One host's maintenance. Times are seconds from plan start.</summary>
public sealed record MaintenanceStep(
    string Host,
    MaintenanceAction Action,
    double StartS,
    double EndS,
    double VmPauseMs)
{
    /// <summary>Why this rung and this moment, in words an operator reads; null when the planner gave none.</summary>
    public string? Reason { get; init; }
}

/// <summary>A VM the planner could not move, and why.</summary>
public sealed record UnplacedVm(string Vm, string Reason);

/// <summary>The limits a plan was made under. Unknown extra limits round-trip through <see cref="Extra"/>.</summary>
[OptionsSection("Limits")]
public sealed record PlanLimits
{
    [InRange(1, int.MaxValue)]
    public int MaxOutboundPerHost { get; init; } = 2;

    [InRange(1, int.MaxValue)]
    public int MaxInboundPerHost { get; init; } = 2;

    [InRange(1, int.MaxValue)]
    public int MaxConcurrent { get; init; } = 64;

    [InRange(1.0, double.MaxValue)]
    public double CpuOvercommit { get; init; } = 1.0;

    [JsonExtensionData]
    public Dictionary<string, object>? Extra { get; init; }
}

/// <summary>Figures about a plan. <see cref="PlanningS"/> is the planner's compute time without file I/O.</summary>
public sealed record PlanSummary
{
    public double PlanningS { get; init; }

    public double MakespanS { get; init; }

    public double LowerBoundS { get; init; }

    [JsonExtensionData]
    public Dictionary<string, object>? Extra { get; init; }
}

/// <summary>
/// A plan as plan.json carries it: migrations (evacuations and ladder moves), per-host maintenance,
/// VMs that could not be placed, the at-risk hosts, the limits and a summary.
/// </summary>
public sealed record MaintenancePlan
{
    public ImmutableArray<MigrationStep> Migrations { get; init; } = [];

    public ImmutableArray<MaintenanceStep> Maintenance { get; init; } = [];

    public ImmutableArray<UnplacedVm> Unplaced { get; init; } = [];

    public ImmutableArray<string> AtRisk { get; init; } = [];

    public PlanLimits Limits { get; init; } = new();

    public PlanSummary Summary { get; init; } = new();

    public static MaintenancePlan Empty { get; } = new();
}
