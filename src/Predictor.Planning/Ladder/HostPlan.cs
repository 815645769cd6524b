using Predictor.Core.Plans;
using Predictor.Planning.Model;
using Predictor.Planning.Scheduling;

namespace Predictor.Planning.Ladder;

/// <summary>One host's update while its domain is planned: who stays on which rung, who leaves, and when the step can start.</summary>
internal sealed class HostPlan(int host, UpdateKind kind, string updateId)
{
    public int Host { get; } = host;

    public UpdateKind Kind { get; } = kind;

    public string UpdateId { get; } = updateId;

    public List<VmRung> Staying { get; } = [];

    public List<MigrationJob> Leaving { get; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>The latest slot an owner chose among the VMs staying for a self-service restart.</summary>
    public double OwnerSlot { get; set; }

    /// <summary>True when this hypervisor update hot-restarts the staying VMs (the host can, and all of them can migrate).</summary>
    public bool HotRestart { get; set; }

    /// <summary>True when a VM stays for the automatic schedule at the end of the self-service window.</summary>
    public bool Scheduled { get; set; }

    public MaintenanceStep ToStep(Fleet fleet, PlanRequest request, double phaseStart, double windowEnd, int ud, int domainNumber, int domainCount)
    {
        var action = LadderPolicy.HostAction(Kind, Staying, HotRestart);
        var leftAt = Leaving.Count == 0 ? phaseStart : Leaving.Max(j => j.EndS);
        var start = Math.Max(Math.Max(phaseStart, leftAt), Math.Max(OwnerSlot, Scheduled ? windowEnd : 0));
        var (duration, pause) = Durations(action, request);
        var waits = new List<string>();
        if (Leaving.Count > 0)
        {
            waits.Add($"{Leaving.Count} VM(s) leave by live migration first (done at {Explain.S(leftAt)})");
        }

        if (OwnerSlot > phaseStart)
        {
            waits.Add($"owners chose a slot not before {Explain.S(OwnerSlot)}");
        }

        if (Scheduled)
        {
            waits.Add($"VM(s) that cannot leave and whose owners did not choose are restarted when the self-service window closes at {Explain.S(windowEnd)}");
        }

        waits.AddRange(Notes);
        var counts = string.Join(", ", Staying.GroupBy(r => r).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Describe(g.Key)}"));
        var reason = $"Update {UpdateId} ({Kind}) on {fleet.Hosts[Host].Id}: {Rung(action)}" +
            (counts.Length > 0 ? $"; staying VMs: {counts}" : "; no VM stays on the host") +
            (waits.Count > 0 ? $"; {string.Join("; ", waits)}" : "") +
            $". Update domain {ud} ({domainNumber} of {domainCount}) starts at {Explain.S(phaseStart)}" +
            (domainNumber == 1 ? (phaseStart > 0 ? ", when the evacuation has ended." : ".") : ", when the previous domain has ended.");
        return new MaintenanceStep(fleet.Hosts[Host].Id, action, start, start + duration, pause) { Reason = reason };
    }

    /// <summary>What this host alone forces on its domain: its leaving bytes over its link, its waits, and its own step.</summary>
    public double LowerBound(Fleet fleet, double phaseStart, double windowEnd, double stepDuration)
    {
        var nicBytesPerS = fleet.Hosts[Host].NicGbps * 1e9 / 8;
        var transfer = Leaving.Count == 0 ? 0 : Math.Max(Leaving.Sum(j => j.Bytes) / nicBytesPerS, Leaving.Max(j => j.DurationS));
        var wait = Math.Max(OwnerSlot, Scheduled ? windowEnd : 0) - phaseStart;
        return Math.Max(transfer, wait) + stepDuration;
    }

    internal static (double DurationS, double PauseMs) Durations(MaintenanceAction action, PlanRequest request) => action switch
    {
        MaintenanceAction.HotPatch => (LadderConstants.HotPatchStepS, LadderConstants.HotPatchPauseMs),
        MaintenanceAction.HotRestart => (LadderConstants.HotRestartStepS, LadderConstants.HotRestartPauseMs),
        MaintenanceAction.MemoryPreserving => (LadderConstants.MemoryPreservingStepS, LadderConstants.MemoryPreservingPauseMs),
        MaintenanceAction.SelfService => (LadderConstants.HostRebootS, (LadderConstants.HostRebootS + request.Options.ColdMoveBootTime.TotalSeconds) * 1000),
        _ => (LadderConstants.HostRebootS, 0),
    };

    private static string Rung(MaintenanceAction action) => action switch
    {
        MaintenanceAction.HotPatch => "hot patch (rung A), VMs notice nothing",
        MaintenanceAction.HotRestart => "hypervisor hot restart (between rungs A and B), each VM's process replaced in place with its RAM shared",
        MaintenanceAction.MemoryPreserving => "memory-preserving maintenance (rung B), VMs paused in RAM",
        MaintenanceAction.SelfService => "self-service restart (rung C), staying VMs restart with the host",
        _ => "updated empty after live migration (rung D)",
    };

    private static string Describe(VmRung rung) => rung switch
    {
        VmRung.HotPatch => "hot-patched under",
        VmRung.HotRestart => "hot-restarted",
        VmRung.MemoryPreserving => "paused in memory",
        VmRung.SelfService => "restarted at the owner's choice",
        VmRung.SelfServiceScheduled => "restarted on the automatic schedule",
        _ => "leaving",
    };
}
