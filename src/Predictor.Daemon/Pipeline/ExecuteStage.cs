using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Predictor.Core.Alerts;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Execution.Executor;
using Predictor.Notifications.OwnerEvents;

namespace Predictor.Daemon.Pipeline;

/// <summary>
/// Carries out a validated plan: pages for each VM of an at-risk host that could not be placed (once per VM), records
/// the ladder's decision per host, tells the owners of self-service hosts, and hands the plan to the executor.
/// </summary>
internal sealed class ExecuteStage(
    PlanExecutor executor, Rollout rollout, PlanHistory plans, SelfServiceStage selfService, EvacuationWatch evacuations, PlanningOptions planning, MaintenanceEventStore? ownerEvents,
    IReadOnlyList<IPassObserver> observers, IAlertPublisher alerts, ILogger logger)
{
    private readonly HashSet<string> _reportedUnplaced = new(StringComparer.Ordinal);

    public async ValueTask RunAsync(PassContext pass, CancellationToken cancellationToken)
    {
        if (pass.Plan is not { } plan || pass.PlanningInventory is not { } inventory)
        {
            return;
        }

        foreach (var u in plan.Unplaced.Where(u => _reportedUnplaced.Add(u.Vm)))
        {
            evacuations.Unplaced(u.Vm, u.Reason);
            Log.VmUnplaced(logger, u.Vm, u.Reason);
            foreach (var observer in observers)
            {
                observer.VmUnplaced(u.Vm, u.Reason);
            }

            await alerts.PublishAsync(Alert.Raise(
                AlertConditions.VmUnplaced, u.Vm, $"VM {u.Vm} on an at-risk host could not be placed: {u.Reason}", pass.Now,
                ImmutableDictionary<string, string>.Empty.Add("vm", u.Vm).Add("reason", u.Reason)), cancellationToken).ConfigureAwait(false);
        }

        foreach (var step in plan.Maintenance)
        {
            var update = rollout.Get(step.Host);
            Log.LadderDecision(logger, update?.UpdateId ?? "?", step.Host, step.Action.ToString());
            foreach (var observer in observers)
            {
                observer.LadderDecision(step.Host, step.Action);
            }

            if (rollout.Planned(step, pass.Now + planning.SelfServiceWindow))
            {
                // the owners are told and pick the moment inside the window; the rollout moves on, and the host is offered again when its moment comes
                NotifyOwners(inventory, plan, step, update, pass.Now);
            }
        }

        pass.PlanId = string.Create(CultureInfo.InvariantCulture, $"plan-{pass.Now:yyyyMMddTHHmmss}-{pass.Number}");
        // a self-service step still waiting for its owners is not the executor's yet
        var executed = plan with { Maintenance = [.. plan.Maintenance.Where(s => !rollout.WithOwners.ContainsKey(s.Host))] };
        pass.Scheduled = executor.Submit(executed, inventory, pass.PlanId, pass.Now, rollout.UpdateIds());
        foreach (var step in executed.Maintenance.Where(s => executor.IsBusy(s.Host)))
        {
            selfService.Started(step.Host);
        }

        if (pass.Scheduled > 0)
        {
            plans.Submitted(pass.PlanId, pass.Now, plan, pass.Scheduled);
        }
    }

    /// <summary>Announces the self-service update to the owners of the VMs that stay on the host (those leaving by live migration are not affected).</summary>
    private void NotifyOwners(DatacenterInventory inventory, MaintenancePlan plan, MaintenanceStep step, HostUpdate? update, DateTimeOffset now)
    {
        if (ownerEvents is null)
        {
            return;
        }

        var windowEnd = now + planning.SelfServiceWindow;
        var leaving = plan.Migrations.Where(m => m.From == step.Host).Select(m => m.Vm).ToHashSet(StringComparer.Ordinal);
        foreach (var vm in inventory.VmsOn(step.Host).Where(v => !leaving.Contains(v.Id)))
        {
            ownerEvents.Schedule(new MaintenanceNotice(
                vm.Id, vm.Owner, step.Host, SelfServiceStage.EventKind,
                $"host {step.Host} needs update {update?.UpdateId ?? "(unknown)"} ({update?.Kind}), which this VM cannot stay running or paused through; choose a moment before {windowEnd:u} or it is scheduled then",
                windowEnd, planning.ColdMoveBootTime, windowEnd));
        }
    }
}
