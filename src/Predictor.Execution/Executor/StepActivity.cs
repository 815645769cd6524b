namespace Predictor.Execution.Executor;

/// <summary>
/// Counts the steps that can make progress on their own. A step is active from its submission until it parks on
/// a wait only something else can end (its planned start on the clock, a concurrency slot, the steps it waits
/// for, a hypervisor or updater call), and active again the moment that wait ends: the unpark is a synchronous
/// continuation of the awaited task, so it runs on the thread that fires the timer, releases the slot or ends
/// the step, before that thread moves on. With no active step the executor is idle: a virtual clock may move.
/// </summary>
internal sealed class StepActivity
{
    private readonly Lock _gate = new();
    private int _active;
    private TaskCompletionSource? _idle;

    public bool IsIdle
    {
        get
        {
            lock (_gate)
            {
                return _active == 0;
            }
        }
    }

    /// <summary>Completes when no step is active (at once when none is).</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _active == 0 ? Task.CompletedTask : _idle!.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>A step becomes runnable (submitted, or its wait ended).</summary>
    public void Enter()
    {
        lock (_gate)
        {
            if (_active++ == 0)
            {
                // waiters resume on the thread pool, never inside the step that went idle
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>A step finished or parked.</summary>
    public void Exit()
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            if (--_active == 0)
            {
                (idle, _idle) = (_idle, null);
            }
        }

        idle?.TrySetResult();
    }

    /// <summary>Parks the calling step on <paramref name="wait"/>; it is unparked synchronously when the wait ends.</summary>
    public Task Park(Task wait)
    {
        if (wait.IsCompleted)
        {
            return wait;
        }

        // registered before leaving: a wait that ends meanwhile re-enters first, so the count never dips to zero falsely
        _ = wait.ContinueWith(static (_, state) => ((StepActivity)state!).Enter(), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Exit();
        return wait;
    }

    /// <inheritdoc cref="Park(Task)"/>
    public Task<T> Park<T>(Task<T> wait)
    {
        Park((Task)wait);
        return wait;
    }
}
