using Predictor.Execution.Executor;

namespace Predictor.Execution.Tests.Executor;

public sealed class StepActivityTests
{
    [Fact]
    public async Task Park_GateHandsTheSlotToAWaiter_StaysActiveUntilTheWaiterParksAgain()
    {
        var activity = new StepActivity();
        var gate = new ConcurrencyGate(1, 1, 1);
        activity.Enter();
        var lease = await gate.AcquireAsync("h1", "h2", default);
        activity.Enter();
        using var mayPark = new ManualResetEventSlim();
        var never = new TaskCompletionSource();
        var waiter = WaitForSlotAsync();

        Assert.False(activity.IsIdle); // the holder runs
        // the holder ends on a thread whose context keeps the waiter's continuation off it: only the unpark runs inline
        RunUnderForeignContext(() =>
        {
            lease.Dispose();
            activity.Exit();
        });

        Assert.False(activity.IsIdle);
        var idle = activity.WhenIdleAsync(default);
        Assert.False(idle.IsCompleted);
        mayPark.Set();
        await idle.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(activity.IsIdle);
        Assert.False(waiter.IsCompleted);

        async Task WaitForSlotAsync()
        {
            using var slot = await activity.Park(gate.AcquireAsync("h1", "h3", default)).ConfigureAwait(false);
            mayPark.Wait(TimeSpan.FromSeconds(30));
            await activity.Park(never.Task).ConfigureAwait(false);
        }
    }

    [Fact]
    public void Park_WaitAlreadyOver_NeverLooksIdle()
    {
        var activity = new StepActivity();
        activity.Enter();

        var idle = activity.WhenIdleAsync(default);
        _ = activity.Park(Task.CompletedTask);

        Assert.False(activity.IsIdle);
        Assert.False(idle.IsCompleted);
    }

    private static void RunUnderForeignContext(Action action)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(new PostingContext());
        try
        {
            action();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    /// <summary>A context of its own type (like a UI's or xunit's): continuations do not run inline under it.</summary>
    private sealed class PostingContext : SynchronizationContext;
}
