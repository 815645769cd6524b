using Predictor.Core.Plans;
using Predictor.Planning.Model;
using Predictor.Planning.Placement;
using Predictor.Planning.Scheduling;

namespace Predictor.Planning.Evacuation;

/// <summary>
/// Decides, for every VM of every at-risk host, where it goes and how (live, live with auto-converge,
/// cold) or why it cannot go. Each VM moves exactly once and no other VM moves, so the number of moves is
/// the least possible. Most urgent VMs are placed first so that scarce capacity goes to them. Hosts with a
/// pending update that empties or pauses them are chosen only when no other host fits.
/// </summary>
internal static class EvacuationPlanner
{
    public static (List<MigrationJob> Jobs, List<UnplacedVm> Unplaced) Plan(
        Fleet fleet, PlanRequest request, MaintenancePlannerOptions options, PlanContext context, CancellationToken cancellationToken)
    {
        var jobs = new List<MigrationJob>();
        var unplaced = new List<UnplacedVm>();
        if (context.AtRiskHosts.Count == 0)
        {
            return (jobs, unplaced);
        }

        // hosts about to be emptied or paused for their own update come last, so an evacuee rarely moves twice
        var updating = fleet.Disrupting(request.Updates, request.LaterUpdates);
        var index = new DestinationIndex(fleet, request.Limits, h => fleet.Hosts[h].AcceptsPlacements && !context.IsAtRisk[h], h => updating[h] ? 1 : 0);
        var vms = new List<int>();
        foreach (var h in context.AtRiskHosts)
        {
            foreach (var v in fleet.OriginalVmsOn(h))
            {
                vms.Add(v);
            }
        }

        vms.Sort((a, b) =>
        {
            var c = context.Deadline(fleet.VmHost[a]).CompareTo(context.Deadline(fleet.VmHost[b]));
            if (c == 0)
            {
                c = context.Criticality(b).CompareTo(context.Criticality(a));
            }

            if (c == 0)
            {
                c = fleet.Vms[b].MemoryGiB.CompareTo(fleet.Vms[a].MemoryGiB);
            }

            return c != 0 ? c : a.CompareTo(b);
        });

        for (var i = 0; i < vms.Count; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var v = vms[i];
            var vm = fleet.Vms[v];
            var source = fleet.VmHost[v];
            var why = Explain.AtRisk(fleet.Hosts[source].Id, context.Deadline(source), context.Probability(source));
            var outcome = MoveBuilder.Build(fleet, index, request, options, context, v, why, context.Deadline(source));
            if (outcome.Job is { } job)
            {
                jobs.Add(job);
            }
            else
            {
                unplaced.Add(new UnplacedVm(vm.Id, outcome.Unplaced!));
            }
        }

        MoveToFasterLinks(fleet, index, request, options, context, jobs);
        return (jobs, unplaced);
    }

    /// <summary>
    /// Once every VM has a place, a move slowed by its destination's link (a share below its source's own) looks
    /// again among hosts with faster links, longest move first, and moves there if one has room nobody needed:
    /// same kind of move, same rules, never a VM less placed. Placement itself takes the nearest CPU generation
    /// first, so newer capacity stays for the VMs that can use nothing else.
    /// </summary>
    private static void MoveToFasterLinks(Fleet fleet, DestinationIndex index, PlanRequest request, MaintenancePlannerOptions options, PlanContext context, List<MigrationJob> jobs)
    {
        var maxOut = Math.Max(1, request.Limits.MaxOutboundPerHost);
        var slowed = new List<int>();
        for (var i = 0; i < jobs.Count; i++)
        {
            var job = jobs[i];
            var source = fleet.Hosts[job.Source];
            if (MigrationCost.Bandwidth(source.NicGbps, fleet.Hosts[job.Destination].NicGbps, request.Limits) < source.NicGbps / maxOut)
            {
                slowed.Add(i);
            }
        }

        slowed.Sort((a, b) => jobs[a].DurationS != jobs[b].DurationS ? jobs[b].DurationS.CompareTo(jobs[a].DurationS) : a.CompareTo(b));
        foreach (var i in slowed)
        {
            var job = jobs[i];
            var why = Explain.AtRisk(fleet.Hosts[job.Source].Id, context.Deadline(job.Source), context.Probability(job.Source));
            fleet.Unreserve(job.Destination, job.Vm);
            var outcome = MoveBuilder.Build(fleet, index, request, options, context, job.Vm, why, job.DeadlineS, allowCold: job.Kind == MigrationKind.Cold, fasterThan: job.Destination);
            if (outcome.Job is { } faster && faster.Kind == job.Kind && faster.DurationS < job.DurationS)
            {
                jobs[i] = faster;
                continue;
            }

            if (outcome.Job is { } other)
            {
                fleet.Unreserve(other.Destination, other.Vm);
            }

            fleet.Reserve(job.Destination, job.Vm);
        }
    }
}
