using System.Globalization;
using System.Runtime.CompilerServices;
using Predictor.Core.Migration;
using Predictor.Core.Plans;
using Predictor.Planning.Model;
using Predictor.Planning.Scheduling;

namespace Predictor.Planning.Placement;

/// <summary>The outcome for one VM that must leave its host: a move, or the reason it stays where it is.</summary>
internal readonly record struct MoveOutcome(MigrationJob? Job, string? Unplaced);

/// <summary>
/// Chooses the kind of move and the destination for one VM: live when it can live-migrate and converges;
/// live with auto-converge when it would not converge on its own (if allowed); otherwise a cold move in the
/// owner's window (if allowed); otherwise no move, with the reason.
/// </summary>
internal static class MoveBuilder
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static MoveOutcome Build(
        Fleet fleet, DestinationIndex index, PlanRequest request, MaintenancePlannerOptions options, PlanContext context,
        int v, string why, double deadline, bool allowCold = true, int fasterThan = -1)
    {
        var vm = fleet.Vms[v];
        var source = fleet.VmHost[v];
        var src = fleet.Hosts[source];
        var coldAllowed = allowCold && options.AllowColdMoves;
        string? liveProblem = null;
        PlacementRejections rejections;
        if (vm.LiveMigratable)
        {
            var dest = index.FindAndReserve(v, live: true, out rejections, fasterThan);
            if (dest >= 0)
            {
                var dst = fleet.Hosts[dest];
                var cost = MigrationCost.Live(vm, src, dst, request, autoConverge: false);
                // The two common outcomes keep their reason as figures, written once with the plan step (a rollout has 100,000).
                if (cost.Converges)
                {
                    return Job(fleet, context, v, dest, MigrationKind.Live, cost, deadline, 0, null, LiveReason(fleet, request, why, dest, cost, false, fasterThan));
                }

                var throttled = options.AllowAutoConverge ? MigrationCost.Live(vm, src, dst, request, autoConverge: true) : default;
                if (throttled.Converges)
                {
                    return Job(fleet, context, v, dest, MigrationKind.Live, throttled, deadline, 0, null, LiveReason(fleet, request, why, dest, cost, true, fasterThan));
                }

                var problemText = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture);
                AppendProblem(ref problemText, vm.DirtyRateMiBps, request.Options.MaxDowntime.TotalMilliseconds, cost.BandwidthGbps);
                var problem = problemText.ToStringAndClear();
                var throttleProblem = options.AllowAutoConverge
                    ? $"even throttled by auto-converge it does not converge within {PreCopyModel.MaxRounds} rounds"
                    : "auto-converge is off";
                if (coldAllowed)
                {
                    return Cold(fleet, request, context, v, dest, deadline, $"{why}. The VM {problem} and {throttleProblem}", fasterThan);
                }

                fleet.Unreserve(dest, v);
                index.Invalidate();
                return new MoveOutcome(null, $"{why}. {vm.Id} cannot be moved: it {problem}, {throttleProblem}, and cold moves are not allowed.");
            }

            liveProblem = $"no host can take it live ({rejections.Describe(vm.MemoryGiB, vm.Vcpus, vm.DiskGiB, Group(fleet, v))})";
            if (!coldAllowed)
            {
                return new MoveOutcome(null, $"{why}. {vm.Id} cannot be moved: {liveProblem}.");
            }
        }
        else if (!coldAllowed)
        {
            return new MoveOutcome(null, $"{why}. {vm.Id} cannot live-migrate (series '{vm.Series}') and cold moves are not allowed; its owner must stop it or accept the risk.");
        }

        var coldDest = index.FindAndReserve(v, live: false, out rejections, fasterThan);
        if (coldDest < 0)
        {
            var reason = liveProblem is null ? $"{vm.Id} cannot live-migrate (series '{vm.Series}') and" : $"{vm.Id}: {liveProblem}; and";
            return new MoveOutcome(null, $"{why}. {reason} no host can take it cold either ({rejections.Describe(vm.MemoryGiB, vm.Vcpus, vm.DiskGiB, Group(fleet, v))}).");
        }

        var cause = liveProblem is null ? $"{why}. {vm.Id} cannot live-migrate (series '{vm.Series}')" : $"{why}. {liveProblem}";
        return Cold(fleet, request, context, v, coldDest, deadline, cause, fasterThan);
    }

    private static MoveOutcome Cold(Fleet fleet, PlanRequest request, PlanContext context, int v, int dest, double deadline, string cause, int fasterThan)
    {
        var vm = fleet.Vms[v];
        var dst = fleet.Hosts[dest];
        var cost = MigrationCost.Cold(vm, fleet.Hosts[fleet.VmHost[v]], dst, request);
        var owner = context.Owner(v);
        var notBefore = owner is { ApproveNow: false, NotBeforeS: { } slot } ? Math.Max(0, slot) : 0;
        var when = owner switch
        {
            { ApproveNow: true } => "the owner approved it now",
            { NotBeforeS: { } } => $"in the owner's chosen window (not before {Explain.S(notBefore)})",
            _ => "as soon as possible, with notice to the owner",
        };
        return Job(fleet, context, v, dest, MigrationKind.Cold, cost, deadline, notBefore,
            $"{cause}: cold move (stop, copy {Explain.N(vm.DiskGiB)} GiB of disk, boot) to {dst.Id} {when}; {Destination(fleet, v, dest, fasterThan)}.");
    }

    private static LiveMoveReason LiveReason(Fleet fleet, PlanRequest request, string why, int dest, MoveCost plain, bool autoConverge, int fasterThan) =>
        new(why, autoConverge, plain.BandwidthGbps, fleet.MemLimit[dest] - fleet.UsedMem[dest], fasterThan, request.Options.MaxDowntime.TotalMilliseconds);

    /// <summary>Writes the job's reason: its <see cref="MigrationJob.Why"/>, or the sentence its <see cref="MigrationJob.LiveWhy"/> figures make.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AppendWhy(ref DefaultInterpolatedStringHandler text, Fleet fleet, MigrationJob job)
    {
        if (job.LiveWhy is not { } live)
        {
            text.AppendFormatted(job.Why);
            return;
        }

        text.AppendFormatted(live.Prefix);
        var dst = fleet.Hosts[job.Destination];
        if (!live.AutoConverge)
        {
            text.AppendLiteral(". Live-migrate to ");
            text.AppendFormatted(dst.Id);
            text.AppendLiteral(": ");
            AppendDestination(ref text, fleet, job.Vm, job.Source, job.Destination, live.MemoryLeftGiB, live.FasterThan);
            text.AppendLiteral("; pre-copy at a ");
            text.AppendFormatted(live.PlainBandwidthGbps, "0.##");
            text.AppendLiteral(" Gbps share converges with a ");
            text.AppendFormatted(job.DowntimeMs, "0.##");
            text.AppendLiteral(" ms pause.");
            return;
        }

        text.AppendLiteral(". Live-migrate with auto-converge to ");
        text.AppendFormatted(dst.Id);
        text.AppendLiteral(": the VM ");
        AppendProblem(ref text, fleet.Vms[job.Vm].DirtyRateMiBps, live.MaxDowntimeMs, live.PlainBandwidthGbps);
        text.AppendLiteral(", so the guest is throttled until it converges (");
        text.AppendFormatted(job.DowntimeMs, "0.##");
        text.AppendLiteral(" ms pause); ");
        AppendDestination(ref text, fleet, job.Vm, job.Source, job.Destination, live.MemoryLeftGiB, live.FasterThan);
        text.AppendLiteral(".");
    }

    private static MoveOutcome Job(Fleet fleet, PlanContext context, int v, int dest, MigrationKind kind, MoveCost cost, double deadline, double notBefore, string? why, LiveMoveReason? live = null) =>
        new(new MigrationJob
        {
            Vm = v,
            Source = fleet.VmHost[v],
            Destination = dest,
            Kind = kind,
            DurationS = cost.DurationS,
            DowntimeMs = cost.DowntimeMs,
            Bytes = cost.Bytes,
            NotBeforeS = notBefore,
            DeadlineS = deadline,
            Criticality = context.Criticality(v),
            Why = why,
            LiveWhy = live,
        }, null);

    private static string Destination(Fleet fleet, int v, int dest, int fasterThan)
    {
        var text = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture);
        AppendDestination(ref text, fleet, v, fleet.VmHost[v], dest, fleet.MemLimit[dest] - fleet.UsedMem[dest], fasterThan);
        return text.ToStringAndClear();
    }

    /// <summary>Why this destination: its CPU generation against the source's, the group's spread, room left, how it was chosen.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AppendDestination(ref DefaultInterpolatedStringHandler text, Fleet fleet, int v, int source, int dest, double memoryLeftGiB, int fasterThan)
    {
        var src = fleet.Hosts[source];
        var dst = fleet.Hosts[dest];
        if (dst.CpuGeneration == src.CpuGeneration)
        {
            text.AppendLiteral("same CPU generation ");
            text.AppendFormatted(dst.CpuGeneration);
        }
        else if (dst.CpuGeneration > src.CpuGeneration)
        {
            text.AppendLiteral("CPU generation ");
            text.AppendFormatted(dst.CpuGeneration);
            text.AppendLiteral(", newer than ");
            text.AppendFormatted(src.CpuGeneration);
        }
        else
        {
            text.AppendLiteral("CPU generation ");
            text.AppendFormatted(dst.CpuGeneration);
            text.AppendLiteral(" (older; fine for a cold move)");
        }

        text.AppendLiteral(", fault domain ");
        text.AppendFormatted(dst.FaultDomain);
        if (Group(fleet, v) is { } g)
        {
            text.AppendLiteral(" keeps group '");
            text.AppendFormatted(g);
            text.AppendLiteral("' spread");
        }

        text.AppendLiteral(", ");
        text.AppendFormatted(memoryLeftGiB, "0.##");
        text.AppendLiteral(" GiB memory left after headroom, ");
        if (fasterThan < 0)
        {
            text.AppendLiteral("chosen round-robin to spread arrivals");
        }
        else
        {
            text.AppendLiteral("chosen over ");
            text.AppendFormatted(fleet.Hosts[fasterThan].Id);
            text.AppendLiteral(" once every VM had a place, because its link gives the move a larger share");
        }
    }

    /// <summary>Why a live move would not converge on its own at its share.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AppendProblem(ref DefaultInterpolatedStringHandler text, double dirtyRateMiBps, double maxDowntimeMs, double bandwidthGbps)
    {
        text.AppendLiteral("dirties ");
        text.AppendFormatted(dirtyRateMiBps, "0.##");
        text.AppendLiteral(" MiB/s, too fast to converge within the ");
        text.AppendFormatted(maxDowntimeMs, "0.##");
        text.AppendLiteral(" ms downtime limit at a ");
        text.AppendFormatted(bandwidthGbps, "0.##");
        text.AppendLiteral(" Gbps share");
    }

    private static string? Group(Fleet fleet, int v) => fleet.VmGroup[v] >= 0 ? fleet.GroupNames[fleet.VmGroup[v]] : null;
}
