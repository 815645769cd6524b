using System.Globalization;
using System.Runtime.CompilerServices;
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public MaintenanceStep ToStep(Fleet fleet, PlanRequest request, double phaseStart, double windowEnd, int ud, int domainNumber, int domainCount)
    {
        var action = LadderPolicy.HostAction(Kind, Staying, HotRestart);
        var leftAt = phaseStart;
        if (Leaving.Count > 0)
        {
            leftAt = Leaving[0].EndS;
            foreach (var job in Leaving)
            {
                leftAt = job.EndS > leftAt ? job.EndS : leftAt;
            }
        }

        var start = Math.Max(Math.Max(phaseStart, leftAt), Math.Max(OwnerSlot, Scheduled ? windowEnd : 0));
        var (duration, pause) = Durations(action, request);

        // One pass into one buffer: a rollout writes this for every host of the datacenter.
        var text = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture);
        text.AppendLiteral("Update ");
        text.AppendFormatted(UpdateId);
        text.AppendLiteral(" (");
        text.AppendFormatted(Kind);
        text.AppendLiteral(") on ");
        text.AppendFormatted(fleet.Hosts[Host].Id);
        text.AppendLiteral(": ");
        text.AppendFormatted(Rung(action));
        AppendStaying(ref text);
        if (Leaving.Count > 0)
        {
            text.AppendLiteral("; ");
            text.AppendFormatted(Leaving.Count);
            text.AppendLiteral(" VM(s) leave by live migration first (done at ");
            text.AppendFormatted(Explain.Seconds(leftAt));
            text.AppendLiteral(")");
        }

        if (OwnerSlot > phaseStart)
        {
            text.AppendLiteral("; ");
            text.AppendLiteral("owners chose a slot not before ");
            text.AppendFormatted(Explain.Seconds(OwnerSlot));
        }

        if (Scheduled)
        {
            text.AppendLiteral("; ");
            text.AppendLiteral("VM(s) that cannot leave and whose owners did not choose are restarted when the self-service window closes at ");
            text.AppendFormatted(Explain.Seconds(windowEnd));
        }

        foreach (var note in Notes)
        {
            text.AppendLiteral("; ");
            text.AppendFormatted(note);
        }

        text.AppendLiteral(". Update domain ");
        text.AppendFormatted(ud);
        text.AppendLiteral(" (");
        text.AppendFormatted(domainNumber);
        text.AppendLiteral(" of ");
        text.AppendFormatted(domainCount);
        text.AppendLiteral(") starts at ");
        text.AppendFormatted(Explain.Seconds(phaseStart));
        text.AppendLiteral(domainNumber == 1 ? (phaseStart > 0 ? ", when the evacuation has ended." : ".") : ", when the previous domain has ended.");
        var reason = text.ToStringAndClear();
        return new MaintenanceStep(fleet.Hosts[Host].Id, action, start, start + duration, pause) { Reason = reason };
    }

    /// <summary>"; staying VMs: 3 paused in memory, 1 restarted at the owner's choice" (rungs in their order), or that none stays.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AppendStaying(ref DefaultInterpolatedStringHandler text)
    {
        Span<int> counts = stackalloc int[(int)VmRung.LiveMigration + 1];
        foreach (var rung in Staying)
        {
            counts[(int)rung]++;
        }

        var any = false;
        for (var r = 0; r < counts.Length; r++)
        {
            if (counts[r] > 0)
            {
                text.AppendLiteral(any ? ", " : "; staying VMs: ");
                text.AppendFormatted(counts[r]);
                text.AppendLiteral(" ");
                text.AppendFormatted(Describe((VmRung)r));
                any = true;
            }
        }

        if (!any)
        {
            text.AppendLiteral("; no VM stays on the host");
        }
    }

    /// <summary>What this host alone forces on its domain: its leaving bytes over its link, its waits, and its own step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
