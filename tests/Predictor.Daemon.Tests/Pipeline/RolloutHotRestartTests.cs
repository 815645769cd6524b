using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Daemon.Pipeline;
using Predictor.Daemon.Tests.Support;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;

namespace Predictor.Daemon.Tests;

public sealed class RolloutHotRestartTests
{
    private static readonly DatacenterInventory Inventory = ScriptedDatacenter.SmallInventory();

    [Fact]
    public void Observe_HotRestartStepSucceeded_TheHypervisorUpdateIsDoneAndTheHostNoLongerUnderWay()
    {
        var rollout = new Rollout([new HostUpdate("h2", "qemu-9", UpdateKind.Hypervisor)]);
        rollout.Offer(Inventory, _ => false);
        Assert.False(rollout.Planned(new MaintenanceStep("h2", MaintenanceAction.HotRestart, 0, 15, 50), DateTimeOffset.UnixEpoch.AddDays(14)));
        Assert.Equal(["h2"], rollout.UnderWay);

        rollout.Observe([new ExecutionOutcome("p/h2", StepKind.HotRestart, "h2", "h2", null, true, TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(26), "done")]);

        Assert.Empty(rollout.UnderWay);
        Assert.Equal(0, rollout.PendingCount);
    }
}
