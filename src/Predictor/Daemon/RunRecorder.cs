using System.Collections.Concurrent;
using Predictor.Core.Risk;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;

namespace Predictor.Daemon;

/// <summary>
/// What the daemon decided and what happened, for the run summary, the metrics and the tests:
/// when each host was first flagged, every finished step, every host failure and the VMs it interrupted.
/// </summary>
public sealed class RunRecorder(TimeProvider timeProvider) : IExecutionObserver
{
    private readonly ConcurrentDictionary<string, RiskAssessment> _flagged = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(DateTimeOffset At, ExecutionOutcome Outcome)> _steps = new();
    private readonly ConcurrentQueue<(string Host, DateTimeOffset At, IReadOnlyList<string> Vms)> _failures = new();
    private readonly ConcurrentQueue<(string Vm, string Reason)> _unplaced = new();
    private readonly ConcurrentQueue<(string Host, string Action)> _ladder = new();

    /// <summary>Hosts flagged at risk, with the assessment that first flagged them.</summary>
    public IReadOnlyDictionary<string, RiskAssessment> Flagged => _flagged;

    public IEnumerable<(DateTimeOffset At, ExecutionOutcome Outcome)> Steps => _steps;

    public IEnumerable<(string Host, DateTimeOffset At, IReadOnlyList<string> Vms)> Failures => _failures;

    public IEnumerable<(string Vm, string Reason)> Unplaced => _unplaced;

    public IEnumerable<(string Host, string Action)> LadderDecisions => _ladder;

    /// <summary>Records the first flag of a host; returns false when it was already flagged.</summary>
    public bool Flag(RiskAssessment assessment) => _flagged.TryAdd(assessment.Host, assessment);

    public void HostFailed(string host, DateTimeOffset at, IReadOnlyList<string> interruptedVms) => _failures.Enqueue((host, at, interruptedVms));

    public void VmUnplaced(string vm, string reason) => _unplaced.Enqueue((vm, reason));

    public void LadderDecision(string host, string action) => _ladder.Enqueue((host, action));

    public void OnStepFinished(ExecutionOutcome outcome) => _steps.Enqueue((timeProvider.GetUtcNow(), outcome));

    /// <summary>Successful moves of VMs off a host, with when they completed.</summary>
    public IEnumerable<(DateTimeOffset At, ExecutionOutcome Outcome)> MovesOff(string host) =>
        _steps.Where(s => s.Outcome.Succeeded && s.Outcome.From == host && s.Outcome.Kind is StepKind.LiveMigration or StepKind.ColdMigration);
}
