using System.Runtime.CompilerServices;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Planning.Model;
using Predictor.Planning.Placement;
using Predictor.Planning.Scheduling;

namespace Predictor.Planning.Ladder;

/// <summary>One update domain's slice of the rollout.</summary>
internal sealed record LadderPhase(int UpdateDomain, double StartS, double EndS, double LowerBoundS, List<MigrationJob> Jobs);

/// <summary>The rollout: steps per host, moves, phases, and the updates that were not planned with why.</summary>
internal sealed record LadderResult(
    List<MaintenanceStep> Steps, List<LadderPhase> Phases, Dictionary<string, int> Skipped, string? HaltedBecause);

/// <summary>
/// Walks the pending updates through the ladder one update domain at a time, starting when the evacuation
/// ends. In each domain the VMs that must leave are placed on hosts of other domains (preferring hosts that
/// will not need emptying later, so a VM rarely moves twice) and scheduled under the same concurrency limits;
/// each host's step starts once its leaving VMs are gone and any owner-chosen slot has come. The next domain
/// starts only when every step of this one has ended.
/// </summary>
internal static class LadderPlanner
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static LadderResult Plan(
        Fleet fleet, PlanRequest request, MaintenancePlannerOptions options, PlanContext context, double startS,
        IEnumerable<MigrationJob> earlierMoves, CancellationToken cancellationToken)
    {
        var steps = new List<MaintenanceStep>();
        var phases = new List<LadderPhase>();
        var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
        if (request.Updates.IsDefaultOrEmpty)
        {
            return new LadderResult(steps, phases, skipped, null);
        }

        if (!request.HealthFailedHosts.IsDefaultOrEmpty)
        {
            var halted = $"The rollout is stopped: the post-update health check failed on {string.Join(", ", request.HealthFailedHosts.Take(10))}" +
                (request.HealthFailedHosts.Length > 10 ? $" and {request.HealthFailedHosts.Length - 10} more" : "") +
                $"; {request.Updates.Length} pending update(s) are not planned until an operator clears the failure.";
            return new LadderResult(steps, phases, skipped, halted);
        }

        var kind = new UpdateKind?[fleet.Hosts.Length];
        var updateIds = new Dictionary<int, string>();
        foreach (var update in request.Updates)
        {
            var h = fleet.HostIndex[update.Host];
            kind[h] = kind[h] is { } k && k > update.Kind ? k : update.Kind;
            updateIds[h] = updateIds.TryGetValue(h, out var ids) ? ids + "+" + update.UpdateId : update.UpdateId;
        }

        var domains = new SortedDictionary<int, List<int>>();
        for (var h = 0; h < fleet.Hosts.Length; h++)
        {
            if (kind[h] is null)
            {
                continue;
            }

            var skip = context.IsAtRisk[h] ? "host is at risk and being evacuated instead"
                : fleet.Hosts[h].State != HostState.Active ? $"host is {fleet.Hosts[h].State.ToString().ToLowerInvariant()}"
                : null;
            if (skip is not null)
            {
                skipped[skip] = skipped.GetValueOrDefault(skip) + 1;
                kind[h] = null;
                continue;
            }

            var ud = fleet.Hosts[h].UpdateDomain;
            if (!domains.TryGetValue(ud, out var list))
            {
                domains[ud] = list = [];
            }

            list.Add(h);
        }

        var arrivals = new Dictionary<int, List<int>>();
        foreach (var job in earlierMoves)
        {
            if (!arrivals.TryGetValue(job.Destination, out var list))
            {
                arrivals[job.Destination] = list = [];
            }

            list.Add(job.Vm);
        }

        var residents = new List<int>();
        var done = new bool[fleet.Hosts.Length];
        var later = fleet.Disrupting(request.LaterUpdates);
        var windowEnd = request.Options.SelfServiceWindow.TotalSeconds;
        var phaseStart = startS;
        var domainNumber = 0;
        foreach (var (ud, hosts) in domains)
        {
            cancellationToken.ThrowIfCancellationRequested();
            domainNumber++;
            var index = new DestinationIndex(
                fleet,
                request.Limits,
                h => fleet.Hosts[h].AcceptsPlacements && !context.IsAtRisk[h] && fleet.Hosts[h].UpdateDomain != ud,
                h => later[h] ? 1 : done[h] || kind[h] is null or UpdateKind.HotPatchable ? 0 : 1);
            var plans = new List<HostPlan>(hosts.Count);
            var jobs = new List<MigrationJob>();
            foreach (var h in hosts)
            {
                var plan = new HostPlan(h, kind[h]!.Value, updateIds[h]);
                Residents(fleet, arrivals, h, residents);
                plan.HotRestart = HotRestartPossible(fleet, plan, residents);
                string? why = null;
                foreach (var v in residents)
                {
                    var rung = LadderPolicy.Choose(plan.Kind, fleet.Vms[v], context.Owner(v), plan.HotRestart);
                    if (rung == VmRung.LiveMigration)
                    {
                        why ??= $"Host {fleet.Hosts[h].Id} gets update {plan.UpdateId} (reboot{(plan.Kind == UpdateKind.HostComponent ? " of a host component the VM's series cannot stay paused through" : "")}) in update domain {ud}; the owner chose no window";
                        var outcome = MoveBuilder.Build(fleet, index, request, options, context, v, why, double.PositiveInfinity, allowCold: false);
                        if (outcome.Job is { } job)
                        {
                            jobs.Add(job);
                            plan.Leaving.Add(job);
                            continue;
                        }

                        rung = VmRung.SelfServiceScheduled;
                        plan.Notes.Add($"{fleet.Vms[v].Id} could not leave ({outcome.Unplaced}) so it stays for the scheduled reboot");
                    }

                    plan.Staying.Add(rung);
                    if (rung == VmRung.SelfService && context.Owner(v) is { ApproveNow: false, NotBeforeS: { } slot })
                    {
                        plan.OwnerSlot = Math.Max(plan.OwnerSlot, slot);
                    }

                    plan.Scheduled |= rung == VmRung.SelfServiceScheduled;
                }

                plans.Add(plan);
            }

            MigrationScheduler.Schedule(jobs, phaseStart, request.Limits, fleet.Hosts.Length);
            var phaseEnd = phaseStart;
            var bound = jobs.Count == 0 ? 0 : jobs.Sum(j => j.DurationS) / Math.Max(1, request.Limits.MaxConcurrent);
            foreach (var plan in plans)
            {
                var step = plan.ToStep(fleet, request, phaseStart, windowEnd, ud, domainNumber, domains.Count);
                steps.Add(step);
                phaseEnd = Math.Max(phaseEnd, step.EndS);
                bound = Math.Max(bound, plan.LowerBound(fleet, phaseStart, windowEnd, step.EndS - step.StartS));
                done[plan.Host] = true;
            }

            foreach (var job in jobs)
            {
                phaseEnd = Math.Max(phaseEnd, job.EndS);
                fleet.CompleteMove(job.Vm, job.Destination);
                if (!arrivals.TryGetValue(job.Destination, out var list))
                {
                    arrivals[job.Destination] = list = [];
                }

                list.Add(job.Vm);
            }

            phases.Add(new LadderPhase(ud, phaseStart, phaseEnd, bound, jobs));
            phaseStart = phaseEnd;
        }

        return new LadderResult(steps, phases, skipped, null);
    }

    /// <summary>
    /// A hypervisor update hot-restarts the host's VMs when its hypervisor can and every resident can migrate
    /// (a hot restart is a local migration); otherwise the host falls down the ladder, and the note says why.
    /// </summary>
    private static bool HotRestartPossible(Fleet fleet, HostPlan plan, List<int> residents)
    {
        if (plan.Kind != UpdateKind.Hypervisor)
        {
            return false;
        }

        var host = fleet.Hosts[plan.Host];
        if (!host.HotRestartCapable)
        {
            plan.Notes.Add($"no hot restart: the hypervisor of {host.Id} cannot replace its VMs' processes in place (hotRestartCapable is false)");
            return false;
        }

        var blocked = residents.Where(v => !fleet.Vms[v].LiveMigratable).Select(v => fleet.Vms[v].Id).ToList();
        if (blocked.Count > 0)
        {
            plan.Notes.Add($"no hot restart: {string.Join(", ", blocked.Take(5))}{(blocked.Count > 5 ? $" and {blocked.Count - 5} more" : "")} cannot migrate, and a hot restart is a local migration");
            return false;
        }

        return true;
    }

    /// <summary>Fills <paramref name="result"/> (reused from host to host) with the VMs on the host now: its original residents still there, then those that arrived.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Residents(Fleet fleet, Dictionary<int, List<int>> arrivals, int host, List<int> result)
    {
        result.Clear();
        foreach (var v in fleet.OriginalVmsOn(host))
        {
            if (fleet.VmHost[v] == host)
            {
                result.Add(v);
            }
        }

        if (arrivals.TryGetValue(host, out var arrived))
        {
            foreach (var v in arrived)
            {
                if (fleet.VmHost[v] == host)
                {
                    result.Add(v);
                }
            }
        }
    }
}
