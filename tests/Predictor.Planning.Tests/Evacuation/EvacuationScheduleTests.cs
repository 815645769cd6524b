using System.Collections.Immutable;
using Predictor.Core.Plans;
using Predictor.Planning.Tests.Support;
using static Predictor.Planning.Tests.Support.Build;

namespace Predictor.Planning.Tests.Evacuation;

public class EvacuationScheduleTests
{
    [Fact]
    public void Plan_FiveVmsOnOneHost_AtMostTwoLeaveAtOnceByDefault()
    {
        var inventory = Inventory([Host("a"), .. Enumerable.Range(0, 5).Select(i => Host($"d{i}"))], Enumerable.Range(0, 5).Select(i => Vm($"v{i}", "a")));
        var request = Request(inventory, ["a"]);

        var plan = Build.Plan(request);

        Assert.Equal(5, plan.Migrations.Length);
        Assert.Equal(2, PlanAssert.MaxOverlap(plan, m => m.From == "a"));
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_OneDestinationWithOneInboundSlot_MovesOneAtATime()
    {
        var inventory = Inventory([Host("a"), Host("b"), Host("d")], [Vm("v1", "a"), Vm("v2", "b")]);
        var request = Request(inventory, ["a", "b"], limits: new PlanLimits { MaxInboundPerHost = 1 });

        var plan = Build.Plan(request);

        Assert.All(plan.Migrations, m => Assert.Equal("d", m.To));
        Assert.Equal(1, PlanAssert.MaxOverlap(plan, _ => true));
        Assert.Contains(plan.Migrations, m => m.Reason.Contains("(when an inbound slot on the destination freed)", StringComparison.Ordinal));
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_DatacenterLimitOfOne_RunsEveryMoveAlone()
    {
        var inventory = Inventory([Host("a"), Host("b"), Host("c"), Host("d"), Host("e")], [Vm("v1", "a"), Vm("v2", "b"), Vm("v3", "c")]);
        var request = Request(inventory, ["a", "b", "c"], limits: new PlanLimits { MaxConcurrent = 1 });

        var plan = Build.Plan(request);

        Assert.Equal(1, PlanAssert.MaxOverlap(plan, _ => true));
        Assert.Equal(plan.Migrations.Sum(m => m.EndS - m.StartS), plan.Summary.MakespanS, 6);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_EarlierDeadline_MovesFirst()
    {
        var inventory = Inventory([Host("late"), Host("soon"), Host("d")], [Vm("v-late", "late", mem: 64), Vm("v-soon", "soon", mem: 4)]);
        var request = Request(inventory, limits: new PlanLimits { MaxConcurrent = 1 }) with
        {
            AtRisk = [new AtRiskHost("late", 7200, 0.9), new AtRiskHost("soon", 600, 0.5)],
        };

        var plan = Build.Plan(request);

        Assert.Equal(["v-soon", "v-late"], plan.Migrations.OrderBy(m => m.StartS).Select(m => m.Vm));
        Assert.Contains("Order 1 of 2", plan.Migrations.Single(m => m.Vm == "v-soon").Reason, StringComparison.Ordinal);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_SameDeadline_MoreCriticalVmMovesFirst()
    {
        var inventory = Inventory([Host("a"), Host("d")], [Vm("big", "a", mem: 64), Vm("critical", "a", mem: 4)]);
        var request = Request(inventory, ["a"], limits: new PlanLimits { MaxConcurrent = 1 }) with
        {
            VmCriticality = ImmutableDictionary<string, int>.Empty.Add("critical", 5),
        };

        var plan = Build.Plan(request);

        Assert.Equal(["critical", "big"], plan.Migrations.OrderBy(m => m.StartS).Select(m => m.Vm));
    }

    [Fact]
    public void Plan_MoveEndingAfterThePredictedFailure_IsFlaggedInItsReason()
    {
        var inventory = Inventory([Host("a", nic: 1), Host("d", nic: 1)], [Vm("v1", "a", mem: 64)]);
        var request = Request(inventory, ["a"], deadline: 10);

        var plan = Build.Plan(request);

        Assert.Contains("Warning: ends at", Assert.Single(plan.Migrations).Reason, StringComparison.Ordinal);
        Assert.Equal(1, plan.Summary.Extra!["lateMoves"]);
    }

    [Fact]
    public void Plan_NonConvergingVm_GetsAutoConverge()
    {
        var inventory = Inventory([Host("a", nic: 10), Host("d", nic: 10)], [Vm("hot", "a", mem: 16, dirty: 5000)]);
        var request = Request(inventory, ["a"]);

        var plan = Build.Plan(request);

        var move = Assert.Single(plan.Migrations);
        Assert.Equal(MigrationKind.Live, move.Kind);
        Assert.Contains("Live-migrate with auto-converge to d", move.Reason, StringComparison.Ordinal);
        Assert.True(move.EstimatedDowntimeMs <= 500);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_NonConvergingVmWithoutAutoConverge_MovesColdInTheOwnersWindow()
    {
        var inventory = Inventory([Host("a", nic: 10), Host("d", nic: 10)], [Vm("hot", "a", mem: 16, dirty: 5000)]);
        var request = Request(inventory, ["a"]) with { OwnerChoices = Choices(new OwnerChoice("hot", false, 900)) };

        var plan = Build.Plan(request, new MaintenancePlannerOptions { AllowAutoConverge = false });

        var move = Assert.Single(plan.Migrations);
        Assert.Equal(MigrationKind.Cold, move.Kind);
        Assert.Equal(900, move.StartS);
        Assert.Contains("in the owner's chosen window (not before 900 s)", move.Reason, StringComparison.Ordinal);
        Assert.Equal(move.EndS - move.StartS, move.EstimatedDowntimeMs / 1000, 6);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_NonConvergingVmWithNeitherAutoConvergeNorColdMoves_UnplacedWithReason()
    {
        var inventory = Inventory([Host("a", nic: 10), Host("d", nic: 10)], [Vm("hot", "a", mem: 16, dirty: 5000)]);
        var request = Request(inventory, ["a"]);

        var plan = Build.Plan(request, new MaintenancePlannerOptions { AllowAutoConverge = false, AllowColdMoves = false });

        var unplaced = Assert.Single(plan.Unplaced);
        Assert.Contains("dirties 5000 MiB/s, too fast to converge within the 500 ms downtime limit", unplaced.Reason, StringComparison.Ordinal);
        Assert.Contains("auto-converge is off, and cold moves are not allowed", unplaced.Reason, StringComparison.Ordinal);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_Summary_ReportsLowerBoundAsTheLargestOfItsThreeTerms()
    {
        // One source with four equal VMs and a 10 Gbps link: the link term dominates.
        var inventory = Inventory([Host("a", nic: 10), .. Enumerable.Range(0, 4).Select(i => Host($"d{i}", nic: 10))], Enumerable.Range(0, 4).Select(i => Vm($"v{i}", "a", mem: 16, dirty: 0)));
        var request = Request(inventory, ["a"]);

        var plan = Build.Plan(request);

        var bytes = 4 * 16 * 1024.0 * 1024 * 1024;
        var linkBound = bytes / (10e9 / 8);
        var longest = plan.Migrations.Max(m => m.EndS - m.StartS);
        var total = plan.Migrations.Sum(m => m.EndS - m.StartS) / 64;
        Assert.Equal(Math.Max(linkBound, Math.Max(longest, total)), plan.Summary.LowerBoundS, 3);
        Assert.Equal(plan.Migrations.Max(m => m.EndS), plan.Summary.MakespanS, 9);
        Assert.InRange(plan.Summary.MakespanS / plan.Summary.LowerBoundS, 1, 1.15);
        Assert.Equal(Math.Round(plan.Summary.MakespanS / plan.Summary.LowerBoundS, 4), plan.Summary.Extra!["makespanRatio"]);
        Assert.Equal(Math.Max(plan.Summary.LowerBoundS, plan.Migrations.Sum(m => m.EndS - m.StartS) / 2), (double)plan.Summary.Extra["evacuationSourceBoundS"], 9);
    }
}
