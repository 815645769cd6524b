using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Predictor.Core.Alerts;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Core.Risk;
using Predictor.Execution.Executor;
using Predictor.Learning.Rules;
using Predictor.Learning.TimeSeries.Streaming;
using Predictor.Notifications.OwnerEvents;
using Predictor.Planning.Validation;
using Predictor.Telemetry.Windows;

namespace Predictor.Daemon;

/// <summary>
/// One pass of the daemon: ingest telemetry up to now → assess every host with fresh data → quarantine
/// hosts at risk → plan their evacuation and the ladder for pending updates → hand the plan to the
/// executor → tell people. Passes are independent: a failed pass is logged and the next one starts over
/// from the current state.
/// </summary>
public sealed class PredictorPipeline(
    IDatacenter datacenter,
    ITelemetrySource telemetry,
    HostWindowStore store,
    IRiskAssessor assessor,
    IMaintenancePlanner planner,
    PlanExecutor executor,
    IAlertPublisher alerts,
    RunRecorder recorder,
    PipelineOptions options,
    PlanningOptions planning,
    PlanLimits limits,
    TimeProvider timeProvider,
    ILogger<PredictorPipeline> logger,
    MaintenanceEventStore? ownerEvents = null,
    HostSignalDetectors? detectors = null,
    RiskOptions? riskOptions = null,
    Automation.AutomationControl? automation = null,
    Metrics.DaemonMetrics? metrics = null)
{
    private readonly RiskOptions _riskOptions = riskOptions ?? new RiskOptions();
    private readonly Dictionary<string, HostState> _quarantined = new(StringComparer.Ordinal);
    private readonly HashSet<string> _stale = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reportedUnplaced = new(StringComparer.Ordinal);
    private readonly Rollout _rollout = new(datacenter.PendingUpdates);
    private readonly EvacuationWatch _evacuations = new(options.EvacuationStuckAfter);
    private int _passes;
    private int _stepsSeen;
    private int _outcomesSeen;
    private bool _staleAlertActive;

    /// <summary>The quarantine threshold of the assessor in use: the rules' or the model's (see <see cref="RiskOptions"/>).</summary>
    private double Threshold => assessor is RuleBasedRiskAssessor ? options.RiskThreshold : _riskOptions.ModelRiskThreshold;

    /// <summary>Hosts quarantined so far (at risk: no new placements, being evacuated).</summary>
    public IReadOnlyCollection<string> Quarantined => _quarantined.Keys;

    public int PendingUpdateCount => _rollout.PendingCount;

    /// <summary>Hosts whose telemetry was stale at the last pass.</summary>
    public int StaleCount => _stale.Count;

    /// <summary>Hosts whose update is scheduled or running now.</summary>
    public IReadOnlyCollection<string> UpdatesUnderWay => _rollout.UnderWay;

    /// <summary>The update domain the rollout is in, null when no update is pending.</summary>
    public int? RolloutDomain => _rollout.CurrentDomain;

    /// <summary>Hosts whose update failed repeatedly; while any is listed the rollout is stopped.</summary>
    public IReadOnlyList<string> RolloutHaltedBy => _rollout.HealthFailed;

    /// <summary>An operator has looked at the failed updates: let the rollout go on. Returns the hosts cleared.</summary>
    public IReadOnlyList<string> ClearRolloutHalt()
    {
        var cleared = _rollout.ClearHealthFailures();
        if (cleared.Count > 0)
        {
            Log.RolloutResumed(logger, string.Join(", ", cleared));
        }

        return cleared;
    }

    public async Task RunPassAsync(CancellationToken cancellationToken)
    {
        // the pass's compute time is measured on the machine's clock, also in a virtual-time scenario
        var computeStarted = TimeProvider.System.GetTimestamp();
        var now = timeProvider.GetUtcNow();
        await telemetry.IngestUntilAsync(now, detectors is null ? store : new TeeSink(store, detectors), cancellationToken).ConfigureAwait(false);
        var inventory = datacenter.Inventory();
        inventory = inventory.WithHostStates(_quarantined.Where(q => inventory.GetHost(q.Key).State != HostState.Failed).ToDictionary());

        var fresh = new List<HostFeatures>(inventory.Hosts.Length);
        foreach (var host in inventory.Hosts.Where(h => h.State is HostState.Active or HostState.Maintenance or HostState.Quarantined))
        {
            var features = store.Features(host.Id, now);
            if (features.IsStale(options.StaleAfter))
            {
                if (_stale.Add(host.Id))
                {
                    Log.HostStale(logger, host.Id, features.LastSeen?.ToString("u", CultureInfo.InvariantCulture) ?? "never");
                }

                continue;
            }

            _stale.Remove(host.Id);
            fresh.Add(WithDetectorFeatures(features, now));
        }

        await AlertOnStaleShareAsync(inventory, fresh.Count, now, cancellationToken).ConfigureAwait(false);
        await AlertOnFailedStepsAsync(now, cancellationToken).ConfigureAwait(false);
        var assessments = assessor.Assess(fresh, now).Select(a => WithDetectorEvidence(a, now)).ToList();
        var newlyAtRisk = assessments.Where(a => a.Probability >= Threshold && !_quarantined.ContainsKey(a.Host)).ToList();
        foreach (var risk in newlyAtRisk)
        {
            await QuarantineAsync(risk, inventory, cancellationToken).ConfigureAwait(false);
        }

        // pause, kill switch and blast-radius guard: when automation is stopped the pass assesses and alerts but does not act
        var stopped = automation is not null && await automation.EvaluatePassAsync(newlyAtRisk, inventory, now, cancellationToken).ConfigureAwait(false);
        inventory = inventory.WithHostStates(_quarantined);
        var scheduled = stopped ? 0 : await PlanAndActAsync(inventory, assessments, now, cancellationToken).ConfigureAwait(false);
        foreach (var alert in _evacuations.Check(inventory, _quarantined.Keys, recorder.Flagged, now))
        {
            await alerts.PublishAsync(alert, cancellationToken).ConfigureAwait(false);
        }

        _passes++;
        metrics?.PassCompleted(TimeProvider.System.GetElapsedTime(computeStarted));
        Log.PassCompleted(logger, now, fresh.Count, _stale.Count, _quarantined.Count, scheduled);
    }

    private async Task AlertOnStaleShareAsync(DatacenterInventory inventory, int freshCount, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var watched = inventory.Hosts.Count(h => h.State is HostState.Active or HostState.Maintenance or HostState.Quarantined);
        var share = watched == 0 ? 0 : (double)(watched - freshCount) / watched;
        var firing = share >= options.StaleShareAlert && watched > 0;
        if (firing == _staleAlertActive)
        {
            return;
        }

        _staleAlertActive = firing;
        await alerts.PublishAsync(new Alert(
            AlertConditions.TelemetryStale, Alert.KeyFor(AlertConditions.TelemetryStale, null), AlertSeverity.Warning,
            $"{watched - freshCount} of {watched} hosts ({share * 100:0}%) have no telemetry newer than {options.StaleAfter}; they are not assessed until it returns",
            null, now, ImmutableDictionary<string, string>.Empty.Add("stale", (watched - freshCount).ToString(CultureInfo.InvariantCulture)),
            Resolved: !firing), cancellationToken).ConfigureAwait(false);
    }

    private async Task AlertOnFailedStepsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var steps = recorder.Steps.ToList();
        foreach (var (at, outcome) in steps.Skip(_stepsSeen).Where(s => !s.Outcome.Succeeded))
        {
            var evacuation = outcome.From is { } from && _quarantined.ContainsKey(from);
            await alerts.PublishAsync(new Alert(
                AlertConditions.EvacuationFailed, Alert.KeyFor(AlertConditions.EvacuationFailed, outcome.From), evacuation ? AlertSeverity.Critical : AlertSeverity.Warning,
                $"{outcome.Kind} of {outcome.Target} from {outcome.From} failed at {at:u}: {outcome.Message}{(evacuation ? "; it will be planned again on the next pass" : "")}",
                outcome.From, now, ImmutableDictionary<string, string>.Empty.Add("step", outcome.StepId).Add("action", outcome.Kind.ToString())), cancellationToken).ConfigureAwait(false);
        }

        _stepsSeen = steps.Count;
    }

    private async Task QuarantineAsync(RiskAssessment risk, DatacenterInventory inventory, CancellationToken cancellationToken)
    {
        _quarantined[risk.Host] = HostState.Quarantined;
        _rollout.Drop(risk.Host); // an at-risk host is evacuated, not updated in place
        recorder.Flag(risk);
        var evidence = string.Join("; ", risk.Evidence.Take(3).Select(e => e.Description));
        var vmCount = inventory.VmsOn(risk.Host).Length;
        Log.HostAtRisk(logger, risk.Host, risk.Probability, risk.Horizon, risk.Assessor, evidence, vmCount);
        await alerts.PublishAsync(new Alert(
            AlertConditions.HostPredictedToFail,
            Alert.KeyFor(AlertConditions.HostPredictedToFail, risk.Host),
            vmCount > 0 ? AlertSeverity.Warning : AlertSeverity.Info,
            $"Host {risk.Host} predicted to fail (p={risk.Probability:0.00} within {risk.Horizon.TotalDays:0.#} d): {evidence}. Evacuating {vmCount} VMs.",
            risk.Host,
            risk.AssessedAt,
            ImmutableDictionary<string, string>.Empty
                .Add("probability", risk.Probability.ToString("0.000", CultureInfo.InvariantCulture))
                .Add("horizon", risk.Horizon.ToString())
                .Add("evidence", evidence)
                .Add("assessor", risk.Assessor)
                .Add("action", $"live-migrate {vmCount} VMs")), cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> PlanAndActAsync(DatacenterInventory inventory, IReadOnlyList<RiskAssessment> assessments, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // hosts the executor no longer works on, decided before reading outcomes, so any outcome they had is read below
        var idle = _rollout.UnderWay.Where(h => !executor.IsBusy(h)).ToList();
        var finished = recorder.Steps.Skip(_outcomesSeen).Select(s => s.Outcome).ToList();
        _outcomesSeen += finished.Count;
        foreach (var host in _rollout.Observe(finished))
        {
            await AlertRolloutHaltedAsync(host, finished.Last(o => o.Target == host), now, cancellationToken).ConfigureAwait(false);
        }

        // a step dropped before it started (the executor was paused) leaves no outcome: its update is pending again
        _rollout.Release(idle);

        // Count VMs already moving on their destination, so no destination is booked twice; hosts being
        // updated take no new VMs until they are done.
        var moving = executor.InFlightMoves.Where(m => inventory.TryGetVm(m.Key, out _)).ToDictionary();
        // while the rollout is stopped by a failed update nothing new is offered (the planner would only say so each pass)
        var updates = options.ApplyUpdates && _rollout.HealthFailed.IsEmpty
            ? _rollout.Offer(inventory, id => executor.IsBusy(id) || executor.IsCircuitOpen(id))
            : [];
        var planningInventory = moving.Count == 0 ? inventory : inventory.WithPlacements(moving);
        // hosts being updated, and hosts whose circuit breaker is open after failed steps, take no new VMs
        planningInventory = planningInventory.WithHostStates(_rollout.UnderWay.Concat(executor.HostsWithOpenCircuit)
            .Where(h => planningInventory.TryGetHost(h, out var host) && host.State == HostState.Active)
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(h => h, _ => HostState.Maintenance));
        var byHost = assessments.ToDictionary(a => a.Host, StringComparer.Ordinal);
        var atRisk = _quarantined.Keys
            .Where(h => planningInventory.TryGetHost(h, out var host) && host.State != HostState.Failed && !planningInventory.VmsOn(h).IsEmpty)
            .Select(h => new AtRiskHost(h, Deadline(byHost.GetValueOrDefault(h), now), byHost.TryGetValue(h, out var a) ? a.Probability : 1))
            .ToImmutableArray();
        if (atRisk.IsEmpty && updates.IsEmpty)
        {
            return 0;
        }

        var request = new PlanRequest(planningInventory, atRisk, updates, limits, planning)
        {
            OwnerChoices = ownerEvents?.OwnerChoices(now) ?? [],
            HealthFailedHosts = _rollout.HealthFailed,
            LaterUpdates = options.ApplyUpdates ? _rollout.Later() : [],
        };
        var plan = planner.Plan(request, cancellationToken);
        var violations = PlanValidator.Validate(request, plan);
        if (violations.Count > 0)
        {
            // never execute a plan the independent validator rejects; say why and page
            var text = string.Join("; ", violations.Take(5));
            Log.PlanRejected(logger, violations.Count, text);
            await alerts.PublishAsync(new Alert(
                AlertConditions.EvacuationFailed, Alert.KeyFor(AlertConditions.EvacuationFailed, null), AlertSeverity.Critical,
                $"A plan was rejected by the plan validator ({violations.Count} violations): {text}", null, now,
                ImmutableDictionary<string, string>.Empty.Add("violations", text)), cancellationToken).ConfigureAwait(false);
            return 0;
        }

        foreach (var u in plan.Unplaced.Where(u => _reportedUnplaced.Add(u.Vm)))
        {
            recorder.VmUnplaced(u.Vm, u.Reason);
            _evacuations.Unplaced(u.Vm, u.Reason);
            Log.VmUnplaced(logger, u.Vm, u.Reason);
            await alerts.PublishAsync(new Alert(
                AlertConditions.VmUnplaced, Alert.KeyFor(AlertConditions.VmUnplaced, u.Vm), AlertSeverity.Critical,
                $"VM {u.Vm} on an at-risk host could not be placed: {u.Reason}", null, now,
                ImmutableDictionary<string, string>.Empty.Add("vm", u.Vm).Add("reason", u.Reason)), cancellationToken).ConfigureAwait(false);
        }

        foreach (var step in plan.Maintenance)
        {
            var update = _rollout.Get(step.Host);
            Log.LadderDecision(logger, update?.UpdateId ?? "?", step.Host, step.Action.ToString());
            recorder.LadderDecision(step.Host, step.Action.ToString());
            if (step.Action == MaintenanceAction.SelfService)
            {
                // the owners are told and pick the moment inside the window; the rollout moves on
                NotifyOwners(planningInventory, step, update, now);
            }

            _rollout.Planned(step);
        }

        var planId = string.Create(CultureInfo.InvariantCulture, $"plan-{now:yyyyMMddTHHmmss}-{_passes}");
        return executor.Submit(plan, planningInventory, planId, now, _rollout.UpdateIds());
    }

    private async Task AlertRolloutHaltedAsync(string host, ExecutionOutcome last, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Log.RolloutHalted(logger, host, Rollout.AttemptsBeforeHalt, last.Message);
        await alerts.PublishAsync(new Alert(
            AlertConditions.EvacuationFailed, Alert.KeyFor(AlertConditions.EvacuationFailed, host), AlertSeverity.Critical,
            $"The update of host {host} failed {Rollout.AttemptsBeforeHalt} times (last: {last.Message}); the rollout is stopped until an operator clears it. Evacuations of at-risk hosts go on.",
            host, now, ImmutableDictionary<string, string>.Empty.Add("step", last.StepId).Add("action", "rollout-halted")), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the streaming detectors' outputs (spike scores, change-point martingales) to a host's features.</summary>
    private HostFeatures WithDetectorFeatures(HostFeatures features, DateTimeOffset now)
    {
        if (detectors is null)
        {
            return features;
        }

        var values = new Dictionary<string, double>(features.Values, StringComparer.Ordinal);
        detectors.AddFeatures(features.Host, now, values);
        return features with { Values = values.ToFrozenDictionary(StringComparer.Ordinal) };
    }

    /// <summary>Names what the detectors saw (an ECC storm, a change point in a fan's speed) in a host's explanation.</summary>
    private RiskAssessment WithDetectorEvidence(RiskAssessment assessment, DateTimeOffset now)
    {
        if (detectors is null || assessment.Probability < Threshold)
        {
            return assessment;
        }

        var seen = detectors.GetEvidence(assessment.Host, now);
        return seen.Count == 0 ? assessment : assessment with { Evidence = assessment.Evidence.AddRange(seen) };
    }

    private void NotifyOwners(DatacenterInventory inventory, MaintenanceStep step, HostUpdate? update, DateTimeOffset now)
    {
        if (ownerEvents is null)
        {
            return;
        }

        var windowEnd = now + planning.SelfServiceWindow;
        foreach (var vm in inventory.VmsOn(step.Host))
        {
            ownerEvents.Schedule(new MaintenanceNotice(
                vm.Id, vm.Owner ?? "unassigned", step.Host, "self-service",
                $"host {step.Host} needs update {update?.UpdateId ?? "(unknown)"} ({update?.Kind}), which this VM cannot stay running or paused through; choose a moment before {windowEnd:u} or it is scheduled then",
                windowEnd, planning.ColdMoveBootTime, windowEnd));
        }
    }

    private static double? Deadline(RiskAssessment? risk, DateTimeOffset now) =>
        risk?.PredictedFailureAt is { } at ? Math.Max(0, (at - now).TotalSeconds) : null;
}
