using Predictor.Execution.Executor;

namespace Predictor.Daemon.Datacenter;

/// <summary>Tells several observers of every finished step (the run record and the datacenter's placements).</summary>
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
