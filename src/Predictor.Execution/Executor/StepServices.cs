using Microsoft.Extensions.Logging;
using Predictor.Core.Hypervisors;
using Predictor.Execution.Journal;

namespace Predictor.Execution.Executor;

/// <summary>What every part of the executor works with, and the one way a step's end is recorded.</summary>
/// <param name="Stopping">Cancelled when the executor is disposed: steps end where they are and stay Started in the journal.</param>
/// <param name="FencingToken">The token of the leader this daemon is now; every journal entry a step writes carries the one it started under.</param>
internal sealed record StepServices(
    IHypervisor Hypervisor,
    IExecutionJournal Journal,
    ExecutorOptions Options,
    TimeProvider Time,
    ILogger Logger,
    IExecutionObserver? Observer,
    HostGuards Guards,
    CancellationToken Stopping,
    Func<long> FencingToken)
{
    /// <summary>
    /// Journals the step's end (Completed, or Failed with the outcome's message), logs a failure or calls
    /// <paramref name="logSuccess"/>, and tells the observer.
    /// </summary>
    public async Task FinishAsync(JournalEntry entry, ExecutionOutcome outcome, Action? logSuccess = null)
    {
        var state = outcome.Succeeded ? StepState.Completed : StepState.Failed;
        await Journal.RecordAsync(entry with { State = state, At = Time.GetUtcNow(), Message = outcome.Succeeded ? null : outcome.Message }, CancellationToken.None).ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            logSuccess?.Invoke();
        }
        else
        {
            Log.StepFailed(Logger, entry.StepId, outcome.Target, outcome.Message);
        }

        StepTracing.Finish(outcome);
        Observer?.OnStepFinished(outcome);
    }
}
