using Predictor.Execution.Journal;

namespace Predictor.Execution.Executor;

/// <summary>How one step ended.</summary>
/// <param name="Blackout">What the VMs felt: the migration's downtime, the memory-preserving pause, zero for a hot patch.</param>
public sealed record ExecutionOutcome(
    string StepId,
    StepKind Kind,
    string Target,
    string From,
    string? To,
    bool Succeeded,
    TimeSpan Duration,
    TimeSpan Blackout,
    string Message);

/// <summary>Told of every finished step (the daemon's run record, alerts, metrics).</summary>
public interface IExecutionObserver
{
    void OnStepFinished(ExecutionOutcome outcome);
}
