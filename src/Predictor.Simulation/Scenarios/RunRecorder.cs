using System.Collections.Concurrent;
using Predictor.Core.Plans;
using Predictor.Core.Risk;
using Predictor.Daemon.Pipeline;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;

namespace Predictor.Simulation.Scenarios;

/// <summary>
/// What a scenario's daemon decided and what happened, for the run summary and the tests: when each host was first
/// flagged, every finished step, every host failure and the VMs it interrupted. Scenario-only: it keeps everything for
/// the length of the run, which a scenario bounds; the daemon proper never registers it.
/// </summary>
public sealed class RunRecorder(TimeProvider timeProvider) : IExecutionObserver, IPassObserver
{
    private readonly ConcurrentDictionary<string, RiskAssessment> _flagged = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(DateTimeOffset At, ExecutionOutcome Outcome)> _steps = new();
    private readonly ConcurrentQueue<(string Host, DateTimeOffset At, IReadOnlyList<string> Vms)> _failures = new();
    private readonly ConcurrentQueue<(string Vm, string Reason)> _unplaced = new();
    private readonly ConcurrentQueue<(string Host, MaintenanceAction Action)> _ladder = new();

    /// <summary>Hosts flagged at risk, with the assessment that first flagged them.</summary>
    public IReadOnlyDictionary<string, RiskAssessment> Flagged => _flagged;

    public IEnumerable<(DateTimeOffset At, ExecutionOutcome Outcome)> Steps => _steps;

    public IEnumerable<(string Host, DateTimeOffset At, IReadOnlyList<string> Vms)> Failures => _failures;

    public IEnumerable<(string Vm, string Reason)> Unplaced => _unplaced;

    public IEnumerable<(string Host, MaintenanceAction Action)> LadderDecisions => _ladder;

    /// <summary>Records the first flag of a host.</summary>
    public void HostFlagged(RiskAssessment assessment) => _flagged.TryAdd(assessment.Host, assessment);

    public void HostFailed(string host, DateTimeOffset at, IReadOnlyList<string> interruptedVms) => _failures.Enqueue((host, at, interruptedVms));

    public void VmUnplaced(string vm, string reason) => _unplaced.Enqueue((vm, reason));

    public void LadderDecision(string host, MaintenanceAction action) => _ladder.Enqueue((host, action));

    public void OnStepFinished(ExecutionOutcome outcome) => _steps.Enqueue((timeProvider.GetUtcNow(), outcome));

    /// <summary>Successful moves of VMs off a host, with when they completed.</summary>
    public IEnumerable<(DateTimeOffset At, ExecutionOutcome Outcome)> MovesOff(string host) =>
        _steps.Where(s => s.Outcome.Succeeded && s.Outcome.From == host && s.Outcome.Kind is StepKind.LiveMigration or StepKind.ColdMigration);
}
