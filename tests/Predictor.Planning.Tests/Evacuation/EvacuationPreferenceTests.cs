using Predictor.Core.Plans;
using Predictor.Planning.Tests.Support;
using static Predictor.Planning.Tests.Support.Build;

namespace Predictor.Planning.Tests.Evacuation;

public class EvacuationPreferenceTests
{
    [Fact]
    public void Plan_HostsWithUpdatesLaterInTheRollout_AreChosenOnlyWhenNothingElseFits()
    {
        var inventory = Inventory(
            [Host("a"), Host("later-reboot", mem: 256), Host("later-patch", mem: 256), Host("free", mem: 20)],
            [Vm("v1", "a", mem: 8), Vm("v2", "a", mem: 8), Vm("v3", "a", mem: 8)]);
        var request = Request(inventory, ["a"]) with
        {
            LaterUpdates = [new HostUpdate("later-reboot", "k1", UpdateKind.Reboot), new HostUpdate("later-patch", "p1", UpdateKind.HotPatchable)],
        };

        var plan = Build.Plan(request);

        // a hot patch disturbs nobody, so "later-patch" is as good as "free"; the host to be rebooted later gets nothing
        Assert.Equal(3, plan.Migrations.Length);
        Assert.All(plan.Migrations, m => Assert.Contains(m.To, new[] { "free", "later-patch" }));
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_OnlyHostsWithLaterReboots_StillEvacuatesOntoThem()
    {
        var inventory = Inventory([Host("a"), Host("later-reboot")], [Vm("v1", "a")]);
        var request = Request(inventory, ["a"]) with { LaterUpdates = [new HostUpdate("later-reboot", "k1", UpdateKind.Reboot)] };

        var plan = Build.Plan(request);

        Assert.Equal("later-reboot", Assert.Single(plan.Migrations).To);
        Assert.Empty(plan.Unplaced);
    }

    [Fact]
    public void Plan_DestinationLinkSlowsTheMove_MovesToAHostWithAFasterLinkThatHasRoom()
    {
        // One move out at a time: the source's share is its whole 10 Gbps link, but a 10 Gbps destination taking two
        // moves at once gives only 5. The newer host's 40 Gbps link does not slow the move.
        var inventory = Inventory(
            [Host("a", nic: 10), Host("near", nic: 10), Host("far", gen: 2, nic: 40)],
            [Vm("v1", "a", mem: 32, dirty: 0)]);
        var request = Request(inventory, ["a"], limits: new PlanLimits { MaxOutboundPerHost = 1 });

        var plan = Build.Plan(request);

        var move = Assert.Single(plan.Migrations);
        Assert.Equal("far", move.To);
        Assert.Contains("chosen over near once every VM had a place, because its link gives the move a larger share", move.Reason, StringComparison.Ordinal);
        Assert.Contains("pre-copy at a 10 Gbps share", move.Reason, StringComparison.Ordinal);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_FasterLinkIsTheOnlyRoomForANewerGenerationVm_OlderVmKeepsTheSlowerLink()
    {
        // "far" has room for one of the two VMs and is the only host "new"'s VM can live-migrate to. "old"'s VM is placed
        // first (its host fails sooner) and would rather have "far"'s link, but takes it only if nobody needs the room.
        var inventory = Inventory(
            [Host("old", nic: 10), Host("new", gen: 2, nic: 40), Host("near", nic: 10), Host("far", gen: 2, nic: 40, mem: 40)],
            [Vm("x", "old", mem: 32, dirty: 0), Vm("y", "new", mem: 32, dirty: 0)]);
        var request = Request(inventory, limits: new PlanLimits { MaxOutboundPerHost = 1 }) with
        {
            AtRisk = [new AtRiskHost("old", 600, 0.9), new AtRiskHost("new", 7200, 0.9)],
        };

        var plan = Build.Plan(request);

        Assert.Empty(plan.Unplaced);
        Assert.Equal("near", plan.Migrations.Single(m => m.Vm == "x").To);
        Assert.Equal("far", plan.Migrations.Single(m => m.Vm == "y").To);
        Assert.All(plan.Migrations, m => Assert.Equal(MigrationKind.Live, m.Kind));
        PlanAssert.Valid(request, plan);
    }
}
