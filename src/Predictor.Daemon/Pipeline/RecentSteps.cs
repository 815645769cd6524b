using Predictor.Execution.Executor;

namespace Predictor.Daemon.Pipeline;

/// <summary>The newest finished steps, for <c>/api/v1/steps</c> and the dashboard: a ring of at most <see cref="Capacity"/>.</summary>
public sealed class RecentSteps(TimeProvider time) : IExecutionObserver
{
    public const int Capacity = 1000;

    private readonly (DateTimeOffset At, ExecutionOutcome Outcome)[] _ring = new (DateTimeOffset, ExecutionOutcome)[Capacity];
    private readonly Lock _gate = new();
    private long _count;

    public void OnStepFinished(ExecutionOutcome outcome)
    {
        lock (_gate)
        {
            _ring[_count % Capacity] = (time.GetUtcNow(), outcome);
            _count++;
        }
    }

    /// <summary>The newest <paramref name="limit"/> steps, newest first.</summary>
    public IReadOnlyList<(DateTimeOffset At, ExecutionOutcome Outcome)> Newest(int limit)
    {
        lock (_gate)
        {
            var n = (int)Math.Min(Math.Min(limit, Capacity), _count);
            var newest = new (DateTimeOffset, ExecutionOutcome)[n];
            for (var i = 0; i < n; i++)
            {
                newest[i] = _ring[(_count - 1 - i) % Capacity];
            }

            return newest;
        }
    }
}
