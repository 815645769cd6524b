using Predictor.Execution.Journal;

namespace Predictor.Execution.Executor;

/// <summary>How one step ended.</summary>
/// <param name="Blackout">What the VMs felt: the migration's downtime, the memory-preserving pause, zero for a hot patch.</param>
/// <param name="Message">What happened, in words for people (journalled, alerted, shown).</param>
/// <param name="Failure">Why the step failed; null when it succeeded.</param>
public sealed record ExecutionOutcome(
    string StepId,
    StepKind Kind,
    string Target,
    string From,
    string? To,
    bool Succeeded,
    TimeSpan Duration,
    TimeSpan Blackout,
    string Message,
    FailureKind? Failure = null);

/// <summary>Told of every finished step (the daemon's run record, alerts, metrics).</summary>
public interface IExecutionObserver
{
    void OnStepFinished(ExecutionOutcome outcome);
}
