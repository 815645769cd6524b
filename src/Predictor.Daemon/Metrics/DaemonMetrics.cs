using System.Diagnostics.Metrics;
using Predictor.Execution.Executor;

namespace Predictor.Daemon.Metrics;

/// <summary>The daemon's own instruments (meter "Predictor.Daemon"): passes, steps, blackouts and the state on-call watches.</summary>
public sealed class DaemonMetrics : IExecutionObserver
{
    public const string MeterName = "Predictor.Daemon";

    private readonly Meter _meter;
    private readonly Counter<long> _passes;
    private readonly Histogram<double> _passDuration;
    private readonly Counter<long> _steps;
    private readonly Histogram<double> _blackout;
    private readonly Counter<long> _plansRejected;

    public DaemonMetrics(IMeterFactory meterFactory, Func<PredictorPipeline> pipeline, Func<PlanExecutor> executor, Models.ActiveRiskModel model)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _passes = _meter.CreateCounter<long>("predictor.daemon.passes", "{pass}", "Pipeline passes completed");
        _passDuration = _meter.CreateHistogram<double>("predictor.daemon.pass.duration", "s", "Compute time of one pipeline pass (ingest to submit)");
        _steps = _meter.CreateCounter<long>("predictor.daemon.steps", "{step}", "Executed steps by kind and outcome");
        _plansRejected = _meter.CreateCounter<long>("predictor.daemon.plans.rejected", "{plan}", "Plans the independent validator rejected (nothing of them was executed)");
        _blackout = _meter.CreateHistogram<double>("predictor.daemon.vm.blackout", "s", "What VMs felt per step: migration downtime or memory-preserving pause");
        _meter.CreateObservableGauge("predictor.daemon.hosts.quarantined", () => pipeline().Quarantine.Count, "{host}", "Hosts at risk, quarantined and being evacuated");
        _meter.CreateObservableGauge("predictor.daemon.hosts.watched", () => pipeline().WatchedCount, "{host}", "Hosts the last pass watched (active, in maintenance or quarantined): the base of the stale share");
        _meter.CreateObservableGauge("predictor.daemon.model.fallback", () => model.FallenBack ? 1 : 0, "", "1 while the configured model failed to load and the rules assess instead");
        _meter.CreateObservableCounter("predictor.daemon.model.switches", () => new[]
        {
            new Measurement<long>(model.Counts.Switches, new KeyValuePair<string, object?>("outcome", "switched")),
            new Measurement<long>(model.Counts.Failures, new KeyValuePair<string, object?>("outcome", "failed")),
        }, "{switch}", "Models that took over without a restart, and models that failed to load and were not switched to");
        _meter.CreateObservableGauge("predictor.daemon.hosts.stale", () => pipeline().StaleCount, "{host}", "Hosts whose telemetry is stale (not assessed)");
        _meter.CreateObservableGauge("predictor.daemon.updates.pending", () => pipeline().PendingUpdateCount, "{update}", "Host updates neither applied nor handed to owners");
        _meter.CreateObservableGauge("predictor.daemon.rollout.halted", () => pipeline().RolloutHaltedBy.Count > 0 ? 1 : 0, "", "1 while a failed update stops the rollout");
        _meter.CreateObservableGauge("predictor.daemon.steps.running", () => executor().RunningSteps, "{step}", "Steps scheduled or running");
        _meter.CreateObservableGauge("predictor.daemon.executor.paused", () => executor().Paused ? 1 : 0, "", "1 while the executor starts no new step");
        _meter.CreateObservableGauge("predictor.daemon.hosts.circuit_open", () => executor().HostsWithOpenCircuit.Count, "{host}", "Hosts whose circuit breaker is open after failed steps");
    }

    public void PlanRejected() => _plansRejected.Add(1);

    public void PassCompleted(TimeSpan computeTime)
    {
        _passes.Add(1);
        _passDuration.Record(computeTime.TotalSeconds);
    }

    public void OnStepFinished(ExecutionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var kind = new KeyValuePair<string, object?>("kind", outcome.Kind.ToString());
        _steps.Add(1, kind, new KeyValuePair<string, object?>("outcome", outcome.Succeeded ? "succeeded" : "failed"));
        if (outcome.Succeeded)
        {
            _blackout.Record(outcome.Blackout.TotalSeconds, kind);
        }
    }
}
