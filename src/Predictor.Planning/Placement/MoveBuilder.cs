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
                if (cost.Converges)
                {
                    return Job(fleet, context, v, dest, MigrationKind.Live, cost, deadline, 0,
                        $"{why}. Live-migrate to {dst.Id}: {Destination(fleet, v, dest, fasterThan)}; pre-copy at a {Explain.N(cost.BandwidthGbps)} Gbps share converges with a {Explain.N(cost.DowntimeMs)} ms pause.");
                }

                var problem = $"dirties {Explain.N(vm.DirtyRateMiBps)} MiB/s, too fast to converge within the {Explain.N(request.Options.MaxDowntime.TotalMilliseconds)} ms downtime limit at a {Explain.N(cost.BandwidthGbps)} Gbps share";
                var throttled = options.AllowAutoConverge ? MigrationCost.Live(vm, src, dst, request, autoConverge: true) : default;
                if (throttled.Converges)
                {
                    return Job(fleet, context, v, dest, MigrationKind.Live, throttled, deadline, 0,
                        $"{why}. Live-migrate with auto-converge to {dst.Id}: the VM {problem}, so the guest is throttled until it converges ({Explain.N(throttled.DowntimeMs)} ms pause); {Destination(fleet, v, dest, fasterThan)}.");
                }

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

    private static MoveOutcome Job(Fleet fleet, PlanContext context, int v, int dest, MigrationKind kind, MoveCost cost, double deadline, double notBefore, string why) =>
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
        }, null);

    private static string Destination(Fleet fleet, int v, int dest, int fasterThan)
    {
        var src = fleet.Hosts[fleet.VmHost[v]];
        var dst = fleet.Hosts[dest];
        var generation = dst.CpuGeneration == src.CpuGeneration ? $"same CPU generation {dst.CpuGeneration}"
            : dst.CpuGeneration > src.CpuGeneration ? $"CPU generation {dst.CpuGeneration}, newer than {src.CpuGeneration}"
            : $"CPU generation {dst.CpuGeneration} (older; fine for a cold move)";
        var group = Group(fleet, v) is { } g ? $", fault domain {dst.FaultDomain} keeps group '{g}' spread" : $", fault domain {dst.FaultDomain}";
        return $"{generation}{group}, {Explain.N(fleet.MemLimit[dest] - fleet.UsedMem[dest])} GiB memory left after headroom, " + (fasterThan < 0
            ? "chosen round-robin to spread arrivals"
            : $"chosen over {fleet.Hosts[fasterThan].Id} once every VM had a place, because its link gives the move a larger share");
    }

    private static string? Group(Fleet fleet, int v) => fleet.VmGroup[v] >= 0 ? fleet.GroupNames[fleet.VmGroup[v]] : null;
}
