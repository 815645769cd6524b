using System.Collections.Immutable;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Core.Risk;
using Predictor.Execution.Executor;

namespace Predictor.Daemon.Pipeline;

/// <summary>
/// Asks the planner for the evacuation of every quarantined host that still holds VMs and for the ladder of the current
/// update domain's pending updates. VMs already moving count on their destination, so no destination is booked twice;
/// hosts being updated or whose circuit breaker is open take no new VMs. Nothing is planned while automation is stopped.
/// </summary>
internal sealed class PlanStage(
    PlanExecutor executor, Rollout rollout, QuarantineSet quarantine, IMaintenancePlanner planner,
    PipelineOptions options, PlanningOptions planning, PlanLimits limits, SelfServiceStage selfService)
{
    public void Run(PassContext pass, CancellationToken cancellationToken)
    {
        if (pass.AutomationStopped)
        {
            return;
        }

        var inventory = pass.Inventory;
        var moving = executor.InFlightMoves.Where(m => inventory.TryGetVm(m.Key, out _)).ToDictionary();
        // while the rollout is stopped by a failed update nothing new is offered (the planner would only say so each pass)
        var updates = options.ApplyUpdates && rollout.HealthFailed.IsEmpty
            ? rollout.Offer(inventory, id => executor.IsBusy(id) || executor.IsCircuitOpen(id))
            : [];
        var planInventory = moving.Count == 0 ? inventory : inventory.WithPlacements(moving);
        planInventory = planInventory.WithHostStates(rollout.UnderWay.Concat(executor.HostsWithOpenCircuit)
            .Where(h => planInventory.TryGetHost(h, out var host) && host.State == HostState.Active)
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(h => h, _ => HostState.Maintenance));
        var byHost = pass.Assessments.ToDictionary(a => a.Host, StringComparer.Ordinal);
        // decommissioned hosts are emptied like quarantined ones (they never take a VM again)
        var atRisk = quarantine.Snapshot().Keys.Concat(planInventory.Hosts.Where(h => h.State == HostState.Decommissioned).Select(h => h.Id)).Distinct(StringComparer.Ordinal)
            .Where(h => planInventory.TryGetHost(h, out var host) && host.State != HostState.Failed && !planInventory.VmsOn(h).IsEmpty)
            .Select(h => new AtRiskHost(h, Deadline(byHost.GetValueOrDefault(h), pass.Now), byHost.TryGetValue(h, out var a) ? a.Probability : 1))
            .ToImmutableArray();
        if (atRisk.IsEmpty && updates.IsEmpty)
        {
            return;
        }

        pass.PlanningInventory = planInventory;
        pass.Request = new PlanRequest(planInventory, atRisk, updates, limits, planning)
        {
            OwnerChoices = selfService.Choices(pass, planInventory, updates),
            HealthFailedHosts = rollout.HealthFailed,
            LaterUpdates = options.ApplyUpdates ? rollout.Later() : [],
        };
        pass.Plan = planner.Plan(pass.Request, cancellationToken);
    }

    private static double? Deadline(RiskAssessment? risk, DateTimeOffset now) =>
        risk?.PredictedFailureAt is { } at ? Math.Max(0, (at - now).TotalSeconds) : null;
}
