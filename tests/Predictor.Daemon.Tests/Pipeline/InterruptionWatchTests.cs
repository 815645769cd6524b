using Predictor.Core.Alerts;
using Predictor.Core.Inventory;
using Predictor.Daemon.Pipeline;

namespace Predictor.Daemon.Tests.Pipeline;

public sealed class InterruptionWatchTests
{
    [Fact]
    public void Check_HostFailsWithVmsOnIt_NamesTheVmsThatHadNotLeft()
    {
        var watch = new InterruptionWatch();
        watch.Check(Fleet.Inventory(3, "v1@h1", "v2@h1", "v3@h1", "v4@h2"), [], Fleet.Now);
        // v1 left by a finished move before the failure; v2 and v3 were restarted elsewhere by HA
        var after = Failed(Fleet.Inventory(3, "v1@h3", "v2@h2", "v3@h3", "v4@h2"), "h1");

        var alerts = watch.Check(after, [Fleet.Moved("v1", "h1", "h3")], Fleet.Now.AddMinutes(5));

        var alert = Assert.Single(alerts);
        Assert.Equal((AlertConditions.VmInterrupted, "h1", AlertSeverity.Warning), (alert.Condition, alert.Host, alert.Severity));
        Assert.Equal("Host h1 failed with 2 VMs on it: v2, v3; they were interrupted", alert.Summary);
        Assert.Equal("v2,v3", alert.Details["vms"]);
    }

    [Fact]
    public void Check_FailedHostSeenAgain_IsNotReportedTwice()
    {
        var watch = new InterruptionWatch();
        watch.Check(Fleet.Inventory(2, "v1@h1"), [], Fleet.Now);
        var failed = Failed(Fleet.Inventory(2, "v1@h2"), "h1");

        Assert.Single(watch.Check(failed, [], Fleet.Now.AddMinutes(5)));
        Assert.Empty(watch.Check(failed, [], Fleet.Now.AddMinutes(10)));
    }

    [Fact]
    public void Check_FirstPass_ReportsNothingItCouldNotHaveSeen()
    {
        Assert.Empty(new InterruptionWatch().Check(Failed(Fleet.Inventory(2, "v1@h1"), "h1"), [], Fleet.Now));
    }

    [Fact]
    public void Check_EmptyHostFails_NoAlert()
    {
        var watch = new InterruptionWatch();
        watch.Check(Fleet.Inventory(2, "v1@h2"), [], Fleet.Now);

        Assert.Empty(watch.Check(Failed(Fleet.Inventory(2, "v1@h2"), "h1"), [], Fleet.Now.AddMinutes(5)));
    }

    private static DatacenterInventory Failed(DatacenterInventory inventory, string host) =>
        inventory.WithHostStates(new Dictionary<string, HostState> { [host] = HostState.Failed });
}
