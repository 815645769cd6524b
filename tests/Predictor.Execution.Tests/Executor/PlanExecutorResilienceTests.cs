using Predictor.Core.Hypervisors;
using Predictor.Execution.Executor;

namespace Predictor.Execution.Tests.Executor;

public sealed class PlanExecutorResilienceTests
{
    [Fact]
    public async Task Submit_MigrationFailsOnce_IsRetriedAfterTheDelayAndSucceeds()
    {
        await using var f = new ExecutorFixture(ExecutorFixture.Inventory(), new ExecutorOptions { RetryDelay = TimeSpan.FromSeconds(20) });
        var start = SubmitFailingMoveOfV1(f, failures: 1);
        await f.RunToEndAsync();

        Assert.Equal(2, f.Counting.LiveMigrations);
        var step = Assert.Single(f.Outcomes);
        Assert.True(step.Succeeded, step.Message);
        Assert.True(f.Clock.GetUtcNow() - start >= TimeSpan.FromSeconds(20));
        Assert.Equal(VmRunState.Running, await f.Hypervisor.GetStateAsync("v1", "h2", default));
    }

    [Fact]
    public async Task Submit_MigrationFailsOnEveryAttempt_RetriesWithADoublingDelayThenFails()
    {
        await using var f = new ExecutorFixture(ExecutorFixture.Inventory(), new ExecutorOptions { StepRetries = 2, RetryDelay = TimeSpan.FromSeconds(10) });
        var start = SubmitFailingMoveOfV1(f, failures: 3);
        await f.RunToEndAsync();

        var step = Assert.Single(f.Outcomes);
        Assert.Equal((3, false, FailureKind.Hypervisor), (f.Counting.LiveMigrations, step.Succeeded, step.Failure));
        Assert.Equal(start.AddSeconds(10 + 20), f.FinishedAt[0]);
    }

    [Fact]
    public async Task AbortRunning_StepWaitingOutARetryDelay_HasFinishedOnceTheExecutorIsIdle()
    {
        await using var f = new ExecutorFixture(ExecutorFixture.Inventory(), new ExecutorOptions { RetryDelay = TimeSpan.FromSeconds(20) });
        var start = SubmitFailingMoveOfV1(f, failures: 1);
        await f.IdleAsync();
        Assert.Equal((1, start.AddSeconds(20)), (f.Counting.LiveMigrations, f.Clock.NextDue)); // parked in the retry delay

        // the aborted delay ends inline, so the step winds up before the executor can report itself idle again
        f.Executor.AbortRunning("kill switch: test");
        await f.IdleAsync();

        var step = Assert.Single(f.Outcomes);
        Assert.Equal((false, FailureKind.Aborted), (step.Succeeded, step.Failure));
        Assert.Equal((1, start, (DateTimeOffset?)null), (f.Counting.LiveMigrations, f.Clock.GetUtcNow(), f.Clock.NextDue));
    }

    [Fact]
    public async Task Submit_DestinationKeepsFailing_OpensItsBreakerAndLaterStepsAreNotAttempted()
    {
        var options = new ExecutorOptions { StepRetries = 0, CircuitBreakerFailures = 2, CircuitBreakerBreak = TimeSpan.FromMinutes(5) };
        await using var f = new ExecutorFixture(ExecutorFixture.Inventory(), options);
        f.Counting.FailNext(2);

        f.Executor.Submit(ExecutorFixture.Plan([ExecutorFixture.Move("v1", "h1", "h3"), ExecutorFixture.Move("v2", "h1", "h3")], []), ExecutorFixture.Inventory(), "p1", f.Clock.GetUtcNow());
        await f.RunToEndAsync();

        Assert.Equal(2, f.Counting.LiveMigrations);
        Assert.Equal(["h3"], f.Executor.HostsWithOpenCircuit);
        Assert.False(f.Executor.IsCircuitOpen("h1")); // the source of a failing move is not locked out of its evacuation

        f.Executor.Submit(ExecutorFixture.Plan([ExecutorFixture.Move("v1", "h1", "h3")], []), ExecutorFixture.Inventory(), "p2", f.Clock.GetUtcNow());
        await f.RunToEndAsync();

        Assert.Equal(2, f.Counting.LiveMigrations);
        Assert.Equal("not attempted: the circuit breaker of h3 is open after 2 failed steps in a row; it is tried again after 00:05:00", f.Outcomes[^1].Message);
        Assert.All(f.Outcomes, o => Assert.Equal(FailureKind.Hypervisor, o.Failure));

        // after the break one trial goes through to the hypervisor again
        f.Clock.Advance(TimeSpan.FromMinutes(6));
        // once the break is over the host is offered to plans again, or the trial step would never come
        Assert.False(f.Executor.IsCircuitOpen("h3"));
        f.Executor.Submit(ExecutorFixture.Plan([ExecutorFixture.Move("v1", "h1", "h3")], []), ExecutorFixture.Inventory(), "p3", f.Clock.GetUtcNow());
        await f.RunToEndAsync();

        Assert.Equal(3, f.Counting.LiveMigrations);
        Assert.True(f.Outcomes[^1].Succeeded, f.Outcomes[^1].Message);
        Assert.Empty(f.Executor.HostsWithOpenCircuit);
    }

    /// <summary>Submits a move of v1 to h2 now whose first <paramref name="failures"/> attempts fail; returns the time it was submitted.</summary>
    private static DateTimeOffset SubmitFailingMoveOfV1(ExecutorFixture f, int failures)
    {
        f.Counting.FailNext(failures);
        var start = f.Clock.GetUtcNow();
        f.Executor.Submit(ExecutorFixture.Plan([ExecutorFixture.Move("v1", "h1", "h2")], []), ExecutorFixture.Inventory(), "p1", start);
        return start;
    }
}
