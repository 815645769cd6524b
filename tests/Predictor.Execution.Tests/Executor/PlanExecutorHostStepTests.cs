using Predictor.Core.Hypervisors;
using Predictor.Core.Plans;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;

namespace Predictor.Execution.Tests.Executor;

public sealed class PlanExecutorHostStepTests
{
    [Fact]
    public async Task Submit_HostUpdateAfterMoves_UpdatesTheHostOnlyOnceItsVmsHaveLeft()
    {
        await using var f = new ExecutorFixture(ExecutorFixture.Inventory());
        var plan = ExecutorFixture.Plan(
            [ExecutorFixture.Move("v1", "h1", "h3"), ExecutorFixture.Move("v2", "h1", "h3")],
            [new MaintenanceStep("h1", MaintenanceAction.LiveMigration, 0, 60, 0)]);

        Assert.Equal(3, f.Executor.Submit(plan, ExecutorFixture.Inventory(), "p1", f.Clock.GetUtcNow(), new Dictionary<string, string> { ["h1"] = "kernel-1" }));
        await f.RunToEndAsync();

        var (request, vmsOnHost) = Assert.Single(f.Updates);
        Assert.Equal(("h1", "kernel-1", MaintenanceAction.LiveMigration, TimeSpan.FromSeconds(60)), (request.Host, request.UpdateId, request.Action, request.PlannedDuration));
        Assert.Empty(vmsOnHost);
        var hostStep = Assert.Single(f.Outcomes, o => o.Kind == StepKind.HostUpdate);
        Assert.True(hostStep.Succeeded);
        Assert.Equal("updated empty after 2 VMs left", hostStep.Message);
        Assert.Equal(f.Outcomes.Count - 1, f.Outcomes.IndexOf(hostStep));
    }

    [Fact]
    public async Task Submit_MoveOffHostFails_HostIsNotUpdatedAndTheStepSaysWhy()
    {
        // h3 has 20 GiB: v1 (16 GiB) fits, v2 (32 GiB) does not, so v2 stays on h1
        await using var f = new ExecutorFixture(ExecutorFixture.Inventory(h3MemoryGiB: 20));
        var plan = ExecutorFixture.Plan(
            [ExecutorFixture.Move("v1", "h1", "h3"), ExecutorFixture.Move("v2", "h1", "h3")],
            [new MaintenanceStep("h1", MaintenanceAction.LiveMigration, 0, 60, 0)]);

        f.Executor.Submit(plan, ExecutorFixture.Inventory(), "p1", f.Clock.GetUtcNow());
        await f.RunToEndAsync();

        Assert.Empty(f.Updates);
        var hostStep = Assert.Single(f.Outcomes, o => o.Kind == StepKind.HostUpdate);
        Assert.False(hostStep.Succeeded);
        Assert.Equal("v2 did not leave h1; its update was not applied and will be planned again", hostStep.Message);
        Assert.Equal(FailureKind.Refused, hostStep.Failure);
        Assert.Equal(VmRunState.Running, await f.Hypervisor.GetStateAsync("v2", "h1", default));
        Assert.Empty(await f.Journal.InFlightAsync(default));
    }

    [Fact]
    public async Task Submit_EmptyHostUpdateWithAVmNotLeaving_RefusesToTouchTheHost()
    {
        await using var f = new ExecutorFixture(ExecutorFixture.Inventory());
        var plan = ExecutorFixture.Plan(
            [ExecutorFixture.Move("v1", "h1", "h3")],
            [new MaintenanceStep("h1", MaintenanceAction.LiveMigration, 0, 60, 0)]);

        f.Executor.Submit(plan, ExecutorFixture.Inventory(), "p1", f.Clock.GetUtcNow());
        await f.RunToEndAsync();

        Assert.Empty(f.Updates);
        var hostStep = Assert.Single(f.Outcomes, o => o.Kind == StepKind.HostUpdate);
        Assert.Equal(("v2 would stay on h1 through an update that needs it empty; the update was not applied", FailureKind.Refused), (hostStep.Message, hostStep.Failure));
    }

    [Fact]
    public async Task Submit_MemoryPreservingUpdateFails_ResumesEveryPausedVm()
    {
        await using var f = new ExecutorFixture(ExecutorFixture.Inventory()) { FailUpdateWith = "firmware flash failed" };
        var plan = ExecutorFixture.Plan([], [new MaintenanceStep("h1", MaintenanceAction.MemoryPreserving, 0, 10, 10_000)]);

        f.Executor.Submit(plan, ExecutorFixture.Inventory(), "p1", f.Clock.GetUtcNow());
        await f.RunToEndAsync();

        var (request, vmsOnHost) = Assert.Single(f.Updates);
        Assert.Equal(MaintenanceAction.MemoryPreserving, request.Action);
        Assert.Equal(["v1", "v2"], vmsOnHost);
        var step = Assert.Single(f.Outcomes);
        Assert.Equal((StepKind.MemoryPreserving, false, "firmware flash failed", FailureKind.Update), (step.Kind, step.Succeeded, step.Message, step.Failure));
        Assert.Equal(VmRunState.Running, await f.Hypervisor.GetStateAsync("v1", "h1", default));
        Assert.Equal(VmRunState.Running, await f.Hypervisor.GetStateAsync("v2", "h1", default));
    }

    [Fact]
    public async Task Submit_MemoryPreservingUpdate_PausesTheVmsWhileTheUpdateRuns()
    {
        await using var f = new ExecutorFixture(ExecutorFixture.Inventory());
        var plan = ExecutorFixture.Plan([], [new MaintenanceStep("h1", MaintenanceAction.MemoryPreserving, 0, 10, 10_000)]);
        f.Executor.Submit(plan, ExecutorFixture.Inventory(), "p1", f.Clock.GetUtcNow());
        await f.IdleAsync();

        Assert.Equal(VmRunState.Paused, await f.Hypervisor.GetStateAsync("v1", "h1", default));
        await f.RunToEndAsync();

        var step = Assert.Single(f.Outcomes);
        Assert.Equal((StepKind.MemoryPreserving, true, "2 VMs paused and resumed", (FailureKind?)null), (step.Kind, step.Succeeded, step.Message, step.Failure));
        Assert.InRange(step.Blackout.TotalSeconds, 10, 12);
        Assert.Equal(VmRunState.Running, await f.Hypervisor.GetStateAsync("v1", "h1", default));
    }

    [Fact]
    public async Task Submit_VmMovedTwiceInOnePlan_MovesInOrderUnderDistinctStepIds()
    {
        await using var f = new ExecutorFixture(ExecutorFixture.Inventory());
        var plan = ExecutorFixture.Plan([ExecutorFixture.Move("v1", "h1", "h2"), ExecutorFixture.Move("v1", "h2", "h3", startS: 30)], []);

        Assert.Equal(2, f.Executor.Submit(plan, ExecutorFixture.Inventory(), "p1", f.Clock.GetUtcNow()));
        Assert.Equal("h3", f.Executor.InFlightMoves["v1"]);
        await f.RunToEndAsync();

        Assert.Equal([("p1/v1", "h2", true), ("p1/v1#2", "h3", true)], f.Outcomes.Select(o => (o.StepId, o.To, o.Succeeded)));
        Assert.Equal(VmRunState.Running, await f.Hypervisor.GetStateAsync("v1", "h3", default));
    }

    [Fact]
    public async Task Submit_MemoryPreservingUpdate_JournalsTheVmsItPausesAsTypedPayload()
    {
        await using var f = new ExecutorFixture(ExecutorFixture.Inventory());
        f.Executor.Submit(ExecutorFixture.Plan([], [new MaintenanceStep("h1", MaintenanceAction.MemoryPreserving, 0, 10, 10_000)]), ExecutorFixture.Inventory(), "p1", f.Clock.GetUtcNow());
        await f.IdleAsync();

        var started = Assert.Single(await f.Journal.InFlightAsync(default));
        Assert.Equal(["v1", "v2"], started.PausedVms.ToArray());
        Assert.Null(started.Message);
        await f.RunToEndAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RecoverAsync_MemoryPreservingStepInterrupted_ResumesTheVmsItLeftPaused(bool legacyText)
    {
        await using var f = new ExecutorFixture(ExecutorFixture.Inventory());
        await f.Hypervisor.PauseAsync("v2", "h1", default);
        var started = new JournalEntry("p0/h1", "p0", StepKind.MemoryPreserving, "h1", "h1", null, StepState.Started, f.Clock.GetUtcNow());
        // a journal written by the previous version kept the list in the message
        await f.Journal.RecordAsync(legacyText ? started with { Message = "staying: v1,v2" } : started with { PausedVms = ["v1", "v2"] }, default);

        Assert.Equal(1, await f.Executor.RecoverAsync(default));

        Assert.Equal(VmRunState.Running, await f.Hypervisor.GetStateAsync("v2", "h1", default));
        Assert.Empty(await f.Journal.InFlightAsync(default));
        Assert.Equal(
            "recovered: a host-maintenance step was interrupted; it will be planned again; resumed v2, left paused on h1",
            (await f.Journal.HistoryAsync("h1", default))[^1].Message);
    }
}
