using Predictor.Core.Hypervisors;
using Predictor.Core.Plans;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;

namespace Predictor.Execution.Tests.Executor;

public sealed class PlanExecutorHotRestartTests
{
    private static MaintenancePlan HotRestartPlan() =>
        ExecutorFixture.Plan([], [new MaintenanceStep("h1", MaintenanceAction.HotRestart, 0, 15, 50)]);

    [Fact]
    public async Task Submit_HotRestartOnACapableHost_InstallsTheUpdateThenSwapsEveryVmWithADeviceStatePause()
    {
        var inventory = ExecutorFixture.Inventory(h1HotRestart: true);
        await using var f = new ExecutorFixture(inventory);

        f.Executor.Submit(HotRestartPlan(), inventory, "p1", f.Clock.GetUtcNow(), new Dictionary<string, string> { ["h1"] = "qemu-9" });
        await f.RunToEndAsync();

        var (request, vmsOnHost) = Assert.Single(f.Updates);
        Assert.Equal(("h1", "qemu-9", MaintenanceAction.HotRestart), (request.Host, request.UpdateId, request.Action));
        Assert.Equal(["v1", "v2"], vmsOnHost);
        var outcome = Assert.Single(f.Outcomes);
        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(StepKind.HotRestart, outcome.Kind);
        // v2 (4 vCPUs, 32 GiB): 10 + 4 × 0.5 + 32 × 0.1 = 15.2 ms; v1 (16 GiB) 13.6 ms
        Assert.Equal(TimeSpan.FromMilliseconds(15.2), outcome.Blackout);
        Assert.Equal("2 VMs hot-restarted into new hypervisor processes, blackout max 15.2 ms", outcome.Message);
        Assert.Equal(VmRunState.Running, await f.Hypervisor.GetStateAsync("v1", "h1", default));
        Assert.Equal(VmRunState.Running, await f.Hypervisor.GetStateAsync("v2", "h1", default));
        Assert.Equal(StepKind.HotRestart, Assert.Single(await f.Journal.HistoryAsync("h1", default), e => e.State == StepState.Started).Kind);
        Assert.Empty(await f.Journal.InFlightAsync(default));
    }

    [Fact]
    public async Task Submit_HotRestartTheHypervisorCannotDo_FallsToMemoryPreservingWhenEveryVmCanPause()
    {
        var inventory = ExecutorFixture.Inventory(h1HotRestart: false);
        await using var f = new ExecutorFixture(inventory);

        f.Executor.Submit(HotRestartPlan(), inventory, "p1", f.Clock.GetUtcNow());
        await f.RunToEndAsync();

        Assert.Equal(MaintenanceAction.MemoryPreserving, Assert.Single(f.Updates).Request.Action);
        var outcome = Assert.Single(f.Outcomes);
        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal((StepKind.MemoryPreserving, "2 VMs paused and resumed"), (outcome.Kind, outcome.Message));
        Assert.Equal(VmRunState.Running, await f.Hypervisor.GetStateAsync("v2", "h1", default));
    }

    [Fact]
    public async Task Submit_HotRestartImpossibleAndAVmCannotPause_RefusesAndSaysWhy()
    {
        var inventory = ExecutorFixture.Inventory(h1HotRestart: false, v2CanPause: false);
        await using var f = new ExecutorFixture(inventory);

        f.Executor.Submit(HotRestartPlan(), inventory, "p1", f.Clock.GetUtcNow());
        await f.RunToEndAsync();

        Assert.Empty(f.Updates);
        var outcome = Assert.Single(f.Outcomes);
        Assert.Equal((false, FailureKind.Refused), (outcome.Succeeded, outcome.Failure));
        Assert.Equal("no hot restart on h1: the hypervisor of host 'h1' cannot hot-restart (hotRestartCapable is false); not every staying VM can pause in memory either, so the update was not applied and will be planned again", outcome.Message);
    }

    [Fact]
    public async Task RecoverAsync_HotRestartInterruptedMidSwap_LeavesTheVmRunningOnceAndTheStepFailed()
    {
        var inventory = ExecutorFixture.Inventory(h1HotRestart: true);
        await using var f = new ExecutorFixture(inventory);
        await f.Hypervisor.PauseAsync("v1", "h1", default);
        await f.Journal.RecordAsync(new JournalEntry("p0/h1", "p0", StepKind.HotRestart, "h1", "h1", null, StepState.Started, f.Clock.GetUtcNow()) { PausedVms = ["v1", "v2"] }, default);

        Assert.Equal(1, await f.Executor.RecoverAsync(default));

        Assert.Equal(VmRunState.Running, await f.Hypervisor.GetStateAsync("v1", "h1", default));
        Assert.Empty(await f.Journal.InFlightAsync(default));
        var last = (await f.Journal.HistoryAsync("h1", default))[^1];
        Assert.Equal(StepState.Failed, last.State);
        Assert.Equal("recovered: a hot restart was interrupted; it will be planned again; VM 'v1' was paused mid-swap on h1; resumed; VM 'v2' is Running on h1; nothing to finish", last.Message);
    }
}
