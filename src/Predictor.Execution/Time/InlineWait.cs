namespace Predictor.Execution.Time;

/// <summary>
/// Waits that, however they end (the clock, the awaited task, or cancellation), run what awaits them inline on the
/// thread that ended them. A cancelled <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/> or
/// <see cref="Task.WaitAsync(CancellationToken)"/> resumes its awaiters on the thread pool instead, so an aborted
/// or timed-out step would wind up after the executor had already reported itself idle to a virtual clock.
/// </summary>
internal static class InlineWait
{
    /// <summary>Completes after <paramref name="delay"/> on <paramref name="time"/>, or cancelled with <paramref name="cancellationToken"/>.</summary>
    public static Task Delay(TimeProvider time, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        if (delay <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource();
        var timer = time.CreateTimer(static state => ((TaskCompletionSource)state!).TrySetResult(), done, delay, Timeout.InfiniteTimeSpan);
        return EndOn(done, cancellationToken, timer);
    }

    /// <summary>Completes as <paramref name="task"/> does, or cancelled with <paramref name="cancellationToken"/> first.</summary>
    public static Task WithCancellation(Task task, CancellationToken cancellationToken)
    {
        if (task.IsCompleted || !cancellationToken.CanBeCanceled)
        {
            return task;
        }

        var done = new TaskCompletionSource();
        _ = task.ContinueWith(static (t, state) => ((TaskCompletionSource)state!).TrySetFromTask(t), done, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return EndOn(done, cancellationToken, null);
    }

    private static Task EndOn(TaskCompletionSource done, CancellationToken cancellationToken, IDisposable? timer)
    {
        var registration = cancellationToken.Register(static (state, token) => ((TaskCompletionSource)state!).TrySetCanceled(token), done);
        // registered first, so it runs before the awaiter's continuation
        _ = done.Task.ContinueWith(
            (_, _) =>
            {
                registration.Dispose();
                timer?.Dispose();
            },
            null,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return done.Task;
    }
}
