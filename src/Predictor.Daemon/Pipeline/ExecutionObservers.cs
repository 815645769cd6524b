using Predictor.Execution.Executor;

namespace Predictor.Daemon.Pipeline;

/// <summary>Tells several observers of every finished step: the run record, the metrics and, on a real datacenter, its placements.</summary>
internal sealed class ExecutionObservers(params IExecutionObserver[] observers) : IExecutionObserver
{
    public void OnStepFinished(ExecutionOutcome outcome)
    {
        foreach (var observer in observers)
        {
            observer.OnStepFinished(outcome);
        }
    }
}
