using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Planning.Tests.Support;
using static Predictor.Planning.Tests.Support.Build;

namespace Predictor.Planning.Tests.Evacuation;

public class EvacuationConstraintTests
{
    [Fact]
    public void Plan_VmOnAtRiskHost_LiveMigratesToTheHealthyHostWithReason()
    {
        var inventory = Inventory([Host("a"), Host("b")], [Vm("v1", "a")]);
        var request = Request(inventory, ["a"]);

        var plan = Build.Plan(request);

        var move = Assert.Single(plan.Migrations);
        Assert.Equal(("v1", "a", "b", MigrationKind.Live), (move.Vm, move.From, move.To, move.Kind));
        Assert.Equal(0, move.StartS);
        Assert.StartsWith("Host a is at risk (p=0.9, no predicted failure time). Live-migrate to b: same CPU generation 1", move.Reason, StringComparison.Ordinal);
        Assert.Equal(["a"], plan.AtRisk.ToArray());
        Assert.Empty(plan.Unplaced);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_OnlyAnOlderGenerationHasRoom_MovesColdAndNeverLive()
    {
        var inventory = Inventory([Host("a", gen: 2), Host("old", gen: 1)], [Vm("v1", "a")]);
        var request = Request(inventory, ["a"]);

        var plan = Build.Plan(request);

        var move = Assert.Single(plan.Migrations);
        Assert.Equal(MigrationKind.Cold, move.Kind);
        Assert.Contains("1 host: older CPU generation", move.Reason, StringComparison.Ordinal);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_OnlyAnOlderGenerationAndNoColdMoves_UnplacedNamingTheGeneration()
    {
        var inventory = Inventory([Host("a", gen: 2), Host("old", gen: 1)], [Vm("v1", "a")]);
        var request = Request(inventory, ["a"]);

        var plan = Build.Plan(request, new MaintenancePlannerOptions { AllowColdMoves = false });

        Assert.Empty(plan.Migrations);
        var unplaced = Assert.Single(plan.Unplaced);
        Assert.Equal("v1", unplaced.Vm);
        Assert.Equal("Host a is at risk (p=0.9, no predicted failure time). v1 cannot be moved: no host can take it live (1 host: older CPU generation (a live migration needs the same or a newer one); 1 host: may not receive VMs (at risk, quarantined, in maintenance, failed, or being updated)).", unplaced.Reason);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_DestinationMemoryFull_UnplacedBecauseMemoryIsNeverOvercommitted()
    {
        var inventory = Inventory([Host("a"), Host("b", mem: 16)], [Vm("v1", "a", mem: 8), Vm("big", "b", mem: 12)]);
        var request = Request(inventory, ["a"]);

        var plan = Build.Plan(request);

        Assert.Empty(plan.Migrations);
        Assert.Contains("1 host: not enough free memory for 8 GiB after headroom", Assert.Single(plan.Unplaced).Reason, StringComparison.Ordinal);
        PlanAssert.Valid(request, plan);
    }

    [Theory]
    [InlineData(1.0, false)]
    [InlineData(2.0, true)]
    public void Plan_VcpusBeyondCores_PlacedOnlyWithEnoughOvercommit(double overcommit, bool placed)
    {
        var inventory = Inventory([Host("a"), Host("b", cores: 4)], [Vm("v1", "a", vcpus: 6)]);
        var request = Request(inventory, ["a"], limits: new PlanLimits { CpuOvercommit = overcommit });

        var plan = Build.Plan(request);

        Assert.Equal(placed, plan.Migrations.Length == 1);
        if (!placed)
        {
            Assert.Contains("not enough free vCPUs for 6 under the overcommit limit", Assert.Single(plan.Unplaced).Reason, StringComparison.Ordinal);
        }

        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_DestinationDiskFull_Unplaced()
    {
        var inventory = Inventory([Host("a"), Host("b", disk: 100)], [Vm("v1", "a", disk: 150)]);
        var request = Request(inventory, ["a"]);

        var plan = Build.Plan(request);

        Assert.Contains("not enough free disk for 150 GiB", Assert.Single(plan.Unplaced).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, true)]
    [InlineData(0.1, false)]
    public void Plan_HeadroomReserve_KeepsTheShareFree(double headroom, bool placed)
    {
        var inventory = Inventory([Host("a"), Host("b", mem: 100)], [Vm("v1", "a", mem: 8), Vm("resident", "b", mem: 88)]);
        var request = Request(inventory, ["a"], options: new PlanningOptions { HeadroomFraction = headroom });

        var plan = Build.Plan(request);

        Assert.Equal(placed, plan.Migrations.Length == 1);
        Assert.Equal(placed, plan.Unplaced.IsEmpty);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_AntiAffinityGroup_GoesToAFaultDomainWithoutTheGroup()
    {
        var inventory = Inventory(
            [Host("a", fd: 0), Host("b", fd: 1), Host("c", fd: 1), Host("d", fd: 2)],
            [Vm("v1", "a", group: "web"), Vm("v2", "b", group: "web")]);
        var request = Request(inventory, ["a"]);

        var plan = Build.Plan(request);

        var move = Assert.Single(plan.Migrations);
        Assert.Equal("d", move.To);
        Assert.Contains("fault domain 2 keeps group 'web' spread", move.Reason, StringComparison.Ordinal);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_AntiAffinityOnlyAllowsAnOccupiedFaultDomain_Unplaced()
    {
        var inventory = Inventory(
            [Host("a", fd: 0), Host("b", fd: 1), Host("c", fd: 1)],
            [Vm("v1", "a", group: "web"), Vm("v2", "b", group: "web")]);
        var request = Request(inventory, ["a"]);

        var plan = Build.Plan(request);

        Assert.Contains("2 hosts: fault domain already holds anti-affinity group 'web' at its limit", Assert.Single(plan.Unplaced).Reason, StringComparison.Ordinal);
        PlanAssert.Valid(request, plan);
    }

    [Theory]
    [InlineData(HostState.Quarantined)]
    [InlineData(HostState.Maintenance)]
    [InlineData(HostState.Failed)]
    [InlineData(HostState.Decommissioned)]
    public void Plan_OnlyHostsThatMayNotReceive_Unplaced(HostState state)
    {
        var inventory = Inventory([Host("a"), Host("b", state: state), Host("c")], [Vm("v1", "a")]);
        var request = Request(inventory, ["a", "c"]);

        var plan = Build.Plan(request);

        Assert.Empty(plan.Migrations);
        Assert.Contains("3 hosts: may not receive VMs", Assert.Single(plan.Unplaced).Reason, StringComparison.Ordinal);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_EveryVmOfEveryAtRiskHost_AppearsExactlyOnce()
    {
        var inventory = Inventory(
            [Host("a"), Host("b"), Host("c", mem: 20)],
            [Vm("v1", "a", mem: 16), Vm("v2", "a", mem: 16), Vm("v3", "b", mem: 16), Vm("gpu", "b", live: false, preserving: false, series: "gpu")]);
        var request = Request(inventory, ["a", "b"]);

        var plan = Build.Plan(request, new MaintenancePlannerOptions { AllowColdMoves = false });

        var accounted = plan.Migrations.Select(m => m.Vm).Concat(plan.Unplaced.Select(u => u.Vm)).Order().ToArray();
        Assert.Equal(["gpu", "v1", "v2", "v3"], accounted);
        Assert.Contains(plan.Unplaced, u => u.Vm == "gpu" && u.Reason.Contains("cannot live-migrate (series 'gpu') and cold moves are not allowed", StringComparison.Ordinal));
        PlanAssert.Valid(request, plan);
    }
}
