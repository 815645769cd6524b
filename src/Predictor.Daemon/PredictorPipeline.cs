using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Predictor.Core.Outcomes;
using Predictor.Core.Risk;
using Predictor.Daemon.Features;
using Predictor.Daemon.Models;
using Predictor.Daemon.Pipeline;
using Predictor.Daemon.State;

namespace Predictor.Daemon;

/// <summary>
/// One pass of the daemon, as explicit stages: read the executor's outcomes → ingest telemetry up to now → build the
/// features of every host with fresh data → assess → quarantine hosts at risk → find self-service hosts whose owners' moment
/// has come → plan their evacuation and the ladder for
/// pending updates → validate → execute → tell people. Passes are independent: a failed pass is logged and the next one
/// starts over from the current state. A standby's pass (several daemons sharing state, another one leading) reads the
/// shared state again, ingests, builds features and assesses, and stops there: it changes nothing and tells nobody.
/// </summary>
public sealed class PredictorPipeline
{
    private readonly PipelineParts _parts;
    private readonly ILogger _logger;
    private readonly QuarantineSet _quarantine;
    private readonly RiskHistory _risk = new();
    private readonly PlanHistory _plans = new();
    private readonly ConcurrentQueue<string> _released = new();
    private LadderProgress _ladder = LadderProgress.None;
    private readonly Rollout _rollout;
    private readonly ActiveRiskModel _model;
    private readonly OutcomeStage _outcomes;
    private readonly IngestStage _ingest;
    private readonly FeatureStage _features;
    private readonly AssessStage _assess;
    private readonly QuarantineStage _quarantineStage;
    private readonly LifecycleStage _lifecycle;
    private readonly SelfServiceStage _selfService;
    private readonly PlanStage _plan;
    private readonly ValidateStage _validate;
    private readonly ExecuteStage _execute;
    private readonly NotifyStage _notify;
    private int _passes;

    public PredictorPipeline(PipelineParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        _parts = parts;
        _logger = parts.Loggers.CreateLogger<PredictorPipeline>();
        _quarantine = parts.State is { } state ? new QuarantineSet(state) : new QuarantineSet();
        _rollout = new Rollout(parts.Datacenter.PendingUpdates);
        if (parts.State is { } store)
        {
            // a restarted daemon does not apply an update twice, forget a halt, or take a host back from its owners
            if (!store.IsShared)
            {
                _rollout.Restore(store.Rollout());
            }

            _rollout.Changed = store.SaveRollout;
        }
        var evacuations = new EvacuationWatch(parts.Options.EvacuationStuckAfter);
        _selfService = new SelfServiceStage(_rollout, parts.OwnerEvents, _logger);
        _outcomes = new OutcomeStage(parts.Executor, parts.Outcomes, _rollout, _plans, _selfService);
        _model = parts.Model ?? ActiveRiskModel.Fixed(parts.Risk ?? throw new ArgumentException("the pipeline needs a Model or a Risk choice", nameof(parts)), parts.Time);
        var features = parts.Features ?? new HostFeatureComputer(parts.Windows, parts.Detectors);
        _ingest = new IngestStage(parts.Telemetry, features);
        _features = new FeatureStage(parts.Datacenter, features, _quarantine, parts.Options, parts.Alerts, _logger);
        _assess = new AssessStage(_model, parts.Detectors, _quarantine, _risk, parts.Options, parts.RiskOptions, _logger);
        _lifecycle = new LifecycleStage(_quarantine, parts.Options, (host, reason) => Release(host, reason), _logger);
        _quarantineStage = new QuarantineStage(_quarantine, _rollout, parts.Automation, parts.Observers, parts.Alerts, _logger);
        _plan = new PlanStage(parts.Executor, _rollout, _quarantine, parts.Planner, parts.Options, parts.Planning, parts.Limits, _selfService);
        _validate = new ValidateStage(parts.Alerts, parts.Metrics, _logger);
        _execute = new ExecuteStage(parts.Executor, _rollout, _plans, _selfService, evacuations, parts.Planning, parts.OwnerEvents, parts.Observers, parts.Alerts, _logger);
        _notify = new NotifyStage(_quarantine, evacuations, new InterruptionWatch(), parts.Alerts, _logger);
    }

    /// <summary>Hosts quarantined so far (at risk: no new placements, being evacuated), with the assessment that flagged each.</summary>
    public QuarantineSet Quarantine => _quarantine;

    /// <summary>Hosts quarantined so far.</summary>
    public IReadOnlyCollection<string> Quarantined => [.. _quarantine.Snapshot().Keys];

    public int PendingUpdateCount => _rollout.PendingCount;

    /// <summary>Every host's latest probability and hourly history, and the last pass's score distribution.</summary>
    public RiskHistory Risk => _risk;

    /// <summary>The newest plans handed to the executor and how their steps ended.</summary>
    public PlanHistory Plans => _plans;

    /// <summary>The rollout's progress by update domain and rung, as of the last pass.</summary>
    public LadderProgress Ladder => Volatile.Read(ref _ladder);

    /// <summary>The assessor serving now, its version and card; it switches when a new model is promoted.</summary>
    public ActiveRiskModel Model => _model;

    /// <summary>The probability at which the assessor in use quarantines a host.</summary>
    public double RiskThreshold => _assess.Threshold;

    /// <summary>
    /// An operator releases a quarantined host: it takes placements again, its pending update (dropped when it was
    /// flagged) is offered again from the next pass, and it is not flagged again within <c>Pipeline:ReleaseHold</c>
    /// unless its odds of failure rise tenfold. Returns the assessment it had been quarantined on, or null when it was not quarantined.
    /// </summary>
    public RiskAssessment? Release(string host, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var now = _parts.Time.GetUtcNow();
        var current = _risk.LatestOf(host)?.Probability;
        if (_quarantine.Release(host, reason, now, _parts.Options.ReleaseHold, current) is not { } flagged)
        {
            return null;
        }

        _released.Enqueue(host);
        _parts.Recorder?.Released(host, reason, now, "operator");
        Log.HostReleased(_logger, host, reason, flagged.Probability, flagged.Assessor, now + _parts.Options.ReleaseHold);
        return flagged;
    }

    /// <summary>
    /// An operator records that a quarantined host was repaired: after <c>Pipeline:CleanAssessmentsToRelease</c> clean
    /// assessments in a row it is released. Returns the record, or null when the host is not quarantined.
    /// </summary>
    public RepairRecord? RecordRepair(string host, string reason, string by)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var now = _parts.Time.GetUtcNow();
        var repair = _quarantine.RecordRepair(host, now, reason, by);
        if (repair is not null)
        {
            _parts.Recorder?.Record(new HostOutcome(host, now, OutcomeKind.Repaired, Source: by, Detail: reason));
            Log.RepairRecorded(_logger, host, reason, by, _parts.Options.CleanAssessmentsToRelease);
        }

        return repair;
    }

    /// <summary>
    /// An operator takes a host out of service for good: it leaves the quarantine, takes no VM again, and what it still
    /// holds is evacuated. False when it was decommissioned already.
    /// </summary>
    public bool Decommission(string host, string reason, string by)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var decommissioned = _quarantine.Decommission(new Decommission(host, _parts.Time.GetUtcNow(), reason, by));
        if (decommissioned)
        {
            Log.HostDecommissioned(_logger, host, reason, by);
        }

        return decommissioned;
    }

    /// <summary>
    /// Takes the shared state as it is now (quarantines, releases, repairs, decommissions, the rollout's records, the pause,
    /// the kill switch, owners' maintenance events):
    /// another daemon may have changed it. Called when this daemon takes over as the leader and at every standby pass;
    /// nothing to do for a daemon that runs alone.
    /// </summary>
    public void ReloadSharedState()
    {
        if (_parts.State is not { IsShared: true } store)
        {
            return;
        }

        _quarantine.Reload();
        _rollout.Reset(store.Rollout());
        _parts.Automation?.ReloadShared();
        _parts.Recorder?.Reload();
        if (_parts.OwnerEvents is { IsShared: true } owners)
        {
            owners.Reload();
        }
    }

    /// <summary>Clean assessments in a row that release a repaired host (<c>Pipeline:CleanAssessmentsToRelease</c>).</summary>
    public int CleanAssessmentsToRelease => _parts.Options.CleanAssessmentsToRelease;

    /// <summary>Whether outcomes are recorded (the outcome log is on).</summary>
    public bool RecordsOutcomes => _parts.Recorder is not null;

    /// <summary>
    /// Records an operator's outcome of a host (a failure or repair from a ticket, an RMA, the API). A host marked
    /// repaired that is quarantined gets a repair record: it is released after <c>Pipeline:CleanAssessmentsToRelease</c>
    /// clean assessments in a row, as with <see cref="RecordRepair"/>. Returns whether the outcome was new (false: already
    /// recorded, or no outcome log) and the repair record, when one was made.
    /// </summary>
    public (bool Recorded, RepairRecord? Repair) RecordOutcome(HostOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var recorded = _parts.Recorder?.Record(outcome) ?? false;
        RepairRecord? repair = null;
        if (outcome.Kind == OutcomeKind.Repaired && _quarantine.Contains(outcome.Host))
        {
            var reason = $"repaired ({outcome.Source}{(outcome.Component is null ? "" : ", " + outcome.Component)}{(outcome.Detail is null ? "" : ": " + outcome.Detail)})";
            repair = _quarantine.RecordRepair(outcome.Host, outcome.At, reason, outcome.Source);
            if (repair is not null)
            {
                Log.RepairRecorded(_logger, outcome.Host, reason, outcome.Source, _parts.Options.CleanAssessmentsToRelease);
            }
        }

        return (recorded, repair);
    }

    /// <summary>Hosts whose telemetry was stale at the last pass.</summary>
    public int StaleCount => _features.StaleCount;

    /// <summary>Hosts the last pass watched (active, in maintenance or quarantined).</summary>
    public int WatchedCount => _features.WatchedCount;

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
            Log.RolloutResumed(_logger, string.Join(", ", cleared));
        }

        return cleared;
    }

    /// <summary>One acting pass (a daemon that runs alone, or the leader).</summary>
    public Task RunPassAsync(CancellationToken cancellationToken) => RunPassAsync(acting: true, cancellationToken);

    /// <param name="acting">False for a standby's pass: read the shared state, ingest, assess; nothing more.</param>
    /// <param name="cancellationToken">Shutdown.</param>
    public async Task RunPassAsync(bool acting, CancellationToken cancellationToken)
    {
        var computeStarted = _parts.MachineClock.GetTimestamp();
        var pass = new PassContext(_parts.Time.GetUtcNow(), _passes) { Acting = acting };
        using var span = PassTracing.Source.StartActivity("predictor.pass");
        span?.SetTag("predictor.pass.number", pass.Number);
        span?.SetTag("predictor.pass.time", pass.Now.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
        span?.SetTag("predictor.pass.acting", acting);
        if (!acting)
        {
            ReloadSharedState();
        }

        while (acting && _released.TryDequeue(out var host))
        {
            _rollout.Restore(host);
        }

        _model.Refresh(); // a newly promoted model serves from this pass on
        if (acting)
        {
            _outcomes.Run(pass);
        }

        await _ingest.RunAsync(pass, cancellationToken).ConfigureAwait(false);
        await _features.RunAsync(pass, cancellationToken).ConfigureAwait(false);
        _assess.Run(pass);
        if (acting)
        {
            _lifecycle.Run(pass, _assess.Threshold);
            await _quarantineStage.RunAsync(pass, cancellationToken).ConfigureAwait(false);
            // only the leader writes the outcome and feature log
            _parts.Recorder?.RecordPass(pass.Now, pass.Fresh, pass.Reported, pass.NewlyAtRisk, _model.Version, pass.AutomationStopped);
            _selfService.Run(pass);
            _plan.Run(pass, cancellationToken);
            await _validate.RunAsync(pass, cancellationToken).ConfigureAwait(false);
            await _execute.RunAsync(pass, cancellationToken).ConfigureAwait(false);
            pass.ModelAlerts = _model.TakeAlerts(); // taken here, so a pass that fails earlier leaves them for the next
            await _notify.RunAsync(pass, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _ladder, _rollout.Progress());
        }
        else
        {
            _ = _model.TakeAlerts(); // a standby does not notify; the leader's own model raises its alerts
        }

        _passes++;
        span?.SetTag("predictor.hosts.fresh", pass.Fresh.Count);
        span?.SetTag("predictor.hosts.stale", StaleCount);
        span?.SetTag("predictor.hosts.quarantined", _quarantine.Count);
        span?.SetTag("predictor.hosts.newly_at_risk", pass.NewlyAtRisk.Count);
        span?.SetTag("predictor.automation.stopped", pass.AutomationStopped);
        span?.SetTag("predictor.plan.id", pass.PlanId);
        span?.SetTag("predictor.steps.scheduled", pass.Scheduled);
        _parts.Metrics?.PassCompleted(_parts.MachineClock.GetElapsedTime(computeStarted));
        Log.PassCompleted(_logger, pass.Now, pass.Fresh.Count, StaleCount, _quarantine.Count, pass.Scheduled);
    }

    /// <summary>Runs one acting pass; a failure is logged (the next pass starts over) and returns false. Shutdown is not a failure.</summary>
    public Task<bool> TryRunPassAsync(CancellationToken cancellationToken) => TryRunPassAsync(acting: true, cancellationToken);

    /// <summary>Runs one pass (a standby's when not <paramref name="acting"/>); a failure is logged and returns false. Shutdown is not a failure.</summary>
    public async Task<bool> TryRunPassAsync(bool acting, CancellationToken cancellationToken)
    {
        try
        {
            await RunPassAsync(acting, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.PassFailed(_logger, _parts.Time.GetUtcNow(), e);
            return false;
        }
    }
}
