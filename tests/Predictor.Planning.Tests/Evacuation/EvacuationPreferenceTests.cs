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
}
