using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;
using Predictor.Notifications.OwnerEvents;

namespace Predictor.Daemon.Pipeline;

/// <summary>
/// The self-service rung carried out. A host planned onto it waits for its VMs' owners (see <see cref="Rollout.WithOwners"/>);
/// each pass this stage finds the hosts whose moment has come — every owner approved, the latest chosen time is here, or
/// the window closed — and has them offered again with their staying VMs approved, so the planner gives them a step that
/// runs now. The owners' events follow: started when the host's step is handed to the executor, completed or failed
/// with its outcome, cancelled when the host turns out at risk, fails or leaves. Owners' choices weigh only on the
/// update of the host their event is about, never on an evacuation.
/// </summary>
internal sealed class SelfServiceStage(Rollout rollout, MaintenanceEventStore? events, ILogger logger)
{
    /// <summary>The kind of the owners' events this rung announces.</summary>
    public const string EventKind = "self-service";

    private readonly Dictionary<string, string[]> _started = new(StringComparer.Ordinal);

    /// <summary>Before planning: cancels the events of hosts that will not be updated in place, and marks the waiting hosts whose moment has come.</summary>
    public void Run(PassContext pass)
    {
        var open = events?.Open().Where(e => e.Kind == EventKind).ToList() ?? [];
        foreach (var e in open.Where(e => !pass.Inventory.TryGetHost(e.Host, out var host) || host.State is HostState.Quarantined or HostState.Failed or HostState.Decommissioned))
        {
            events!.MarkCancelled(e.Id);
        }

        foreach (var (host, windowEnd) in rollout.WithOwners.ToList())
        {
            if (rollout.Due.Contains(host))
            {
                continue;
            }

            var own = open.Where(e => e.Host == host).ToList();
            // approved: now; rescheduled: the chosen time; no choice: the window's end (never later than the host's own window)
            var dueAt = own.Count == 0 ? windowEnd : Min(windowEnd, own.Max(e => e.Choice switch
            {
                OwnerChoiceKind.ApprovedNow => DateTimeOffset.MinValue,
                OwnerChoiceKind.Rescheduled => e.NotBefore,
                _ => e.WindowEnd,
            }));
            if (dueAt <= pass.Now)
            {
                rollout.MarkDue(host);
                var why = dueAt >= windowEnd ? "the self-service window closed" : own.All(e => e.Choice == OwnerChoiceKind.ApprovedNow) ? "its owners approved" : "the moment its owners chose has come";
                Log.SelfServiceDue(logger, host, why, own.Count);
            }
        }
    }

    /// <summary>
    /// What owners decided, for this pass's plan: choices of open events about the VM's current host when that host's update
    /// is offered (never one at risk), and approval for every VM of a due host that stays through its update.
    /// </summary>
    public ImmutableArray<OwnerChoice> Choices(PassContext pass, DatacenterInventory inventory, IReadOnlyCollection<HostUpdate> offered)
    {
        var hosts = offered.Select(u => u.Host).ToHashSet(StringComparer.Ordinal);
        var chosen = events?.OwnerChoices(pass.Now, e => hosts.Contains(e.Host) && inventory.TryGetVm(e.Vm, out var vm) && vm.Host == e.Host) ?? [];
        var byVm = chosen.Select(c => c.Vm).ToHashSet(StringComparer.Ordinal);
        var forced = rollout.Due.Where(hosts.Contains)
            .SelectMany(h => inventory.VmsOn(h))
            .Where(v => !v.LiveMigratable && !byVm.Contains(v.Id))
            .Select(v => new OwnerChoice(v.Id, true, null));
        return [.. chosen, .. forced];
    }

    /// <summary>A host's step was handed to the executor (it is busy now): its open events start.</summary>
    public void Started(string host)
    {
        if (events is null)
        {
            return;
        }

        var ids = events.Open().Where(e => e.Kind == EventKind && e.Host == host).Select(e => e.Id).Where(events.MarkStarted).ToArray();
        if (ids.Length > 0)
        {
            _started[host] = ids;
        }
    }

    /// <summary>Host steps that finished: the events they started complete, or fail with them.</summary>
    public void Finished(IEnumerable<ExecutionOutcome> outcomes)
    {
        foreach (var outcome in outcomes.Where(o => o.Kind is StepKind.HotPatch or StepKind.MemoryPreserving or StepKind.HostUpdate or StepKind.SelfService))
        {
            if (_started.Remove(outcome.Target, out var ids))
            {
                foreach (var id in ids)
                {
                    _ = outcome.Succeeded ? events!.MarkCompleted(id) : events!.MarkFailed(id);
                }
            }
        }
    }

    /// <summary>Hosts whose step was dropped before it started (the executor was paused): the events it started did not run, so they fail; the update is planned again.</summary>
    public void NotRun(IEnumerable<string> hosts)
    {
        foreach (var host in hosts)
        {
            if (_started.Remove(host, out var ids))
            {
                foreach (var id in ids)
                {
                    events!.MarkFailed(id);
                }
            }
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
