using Predictor.Core.Plans;
using Predictor.Execution.Executor;

namespace Predictor.Execution.Tests.Executor;

/// <summary>Each way a step fails is named on its outcome; the message stays what people read.</summary>
public sealed class PlanExecutorFailureTests
{
    [Fact]
    public async Task AbortRunning_MigrationUnderWay_OutcomeIsAborted()
    {
        await using var f = new ExecutorFixture(ExecutorFixture.Inventory());
        f.Executor.Submit(ExecutorFixture.Plan([ExecutorFixture.Move("v1", "h1", "h2")], []), ExecutorFixture.Inventory(), "p1", f.Clock.GetUtcNow());
        await f.IdleAsync();

        f.Executor.AbortRunning("kill switch: test");
        await f.RunToEndAsync();

        var step = Assert.Single(f.Outcomes);
        Assert.Equal((false, FailureKind.Aborted), (step.Succeeded, step.Failure));
        Assert.Equal("aborted (kill switch: test); the migration was cancelled and the VM stays on h1", step.Message);
    }

    [Fact]
    public async Task AbortRunning_MemoryPreservingUpdateUnderWay_OutcomeIsAborted()
    {
        await using var f = new ExecutorFixture(ExecutorFixture.Inventory());
        f.Executor.Submit(ExecutorFixture.Plan([], [new MaintenanceStep("h1", MaintenanceAction.MemoryPreserving, 0, 10, 10_000)]), ExecutorFixture.Inventory(), "p1", f.Clock.GetUtcNow());
        await f.IdleAsync();

        f.Executor.AbortRunning("kill switch: test");
        await f.RunToEndAsync();

        var step = Assert.Single(f.Outcomes);
        Assert.Equal((FailureKind.Aborted, "aborted (kill switch: test); its 2 paused VMs are resumed"), (step.Failure, step.Message));
    }

    [Fact]
    public async Task Submit_MigrationOutlastsTheStepTimeout_OutcomeIsTimedOutAtTheTimeoutOnTheClock()
    {
        await using var f = new ExecutorFixture(ExecutorFixture.Inventory(), new ExecutorOptions { StepTimeout = TimeSpan.FromSeconds(1) });
        var start = f.Clock.GetUtcNow();
        var step = await MoveV1ToTheEndAsync(f);
        Assert.Equal((FailureKind.TimedOut, "timed out after 00:00:01; cancelled, the VM stays on h1"), (step.Failure, step.Message));
        Assert.Equal(start.AddSeconds(1), f.FinishedAt[0]);
    }

    [Fact]
    public async Task Submit_HypervisorFails_OutcomeIsHypervisor()
    {
        await using var f = new ExecutorFixture(ExecutorFixture.Inventory(), new ExecutorOptions { StepRetries = 0 });
        f.Counting.FailNext(1);
        var step = await MoveV1ToTheEndAsync(f);
        Assert.Equal((FailureKind.Hypervisor, "QMP socket of v1 on h1 closed mid-command; the VM keeps running there"), (step.Failure, step.Message));
    }

    [Fact]
    public async Task Submit_AdapterThrowsUnexpectedException_OutcomeIsCrashed()
    {
        await using var f = new ExecutorFixture(ExecutorFixture.Inventory());
        f.Counting.Unexpected = new IOException("socket reset by peer");
        var step = await MoveV1ToTheEndAsync(f);
        Assert.Equal((FailureKind.Crashed, "IOException: socket reset by peer"), (step.Failure, step.Message));
    }

    [Fact]
    public async Task Submit_StepSucceeds_OutcomeHasNoFailure()
    {
        await using var f = new ExecutorFixture(ExecutorFixture.Inventory());
        var step = await MoveV1ToTheEndAsync(f);
        Assert.Equal((true, (FailureKind?)null), (step.Succeeded, step.Failure));
    }

    private static async Task<ExecutionOutcome> MoveV1ToTheEndAsync(ExecutorFixture f)
    {
        f.Executor.Submit(ExecutorFixture.Plan([ExecutorFixture.Move("v1", "h1", "h2")], []), ExecutorFixture.Inventory(), "p1", f.Clock.GetUtcNow());
        await f.RunToEndAsync();
        return Assert.Single(f.Outcomes);
    }
}
