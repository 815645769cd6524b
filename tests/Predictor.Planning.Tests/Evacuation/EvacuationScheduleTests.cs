using System.Collections.Immutable;
using Predictor.Core.Migration;
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

    [Theory]
    [InlineData(4)] // two rounds of two moves: their time over the outbound limit
    [InlineData(3)] // of three moves on two slots two run one after the other: not one and a half move times but two
    public void Plan_EqualVmsOnOneHost_BoundIsTwoMoveTimesAndIsMet(int count)
    {
        var inventory = Inventory([Host("a", nic: 10), .. Enumerable.Range(0, count).Select(i => Host($"d{i}", nic: 10))], Enumerable.Range(0, count).Select(i => Vm($"v{i}", "a", mem: 16, dirty: 0)));
        var request = Request(inventory, ["a"]);

        var plan = Build.Plan(request);

        var duration = plan.Migrations[0].EndS - plan.Migrations[0].StartS;
        Assert.All(plan.Migrations, m => Assert.Equal(duration, m.EndS - m.StartS, 9));
        Assert.Equal(2 * duration, plan.Summary.LowerBoundS, 9);
        Assert.Equal(2 * duration, plan.Summary.MakespanS, 9);
        Assert.Equal(1.0, plan.Summary.Extra!["makespanRatio"]);
        Assert.Equal("the moves off a under its limit of 2 at once", plan.Summary.Extra["evacuationBoundSetBy"]);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_OnlyASlowDestinationHasRoom_BoundUsesTheFastestLinkThatCouldTakeTheVm()
    {
        // "fast" is full, so the VM goes to "slow" at a 0.5 Gbps share; no plan could do better than the 12.5 Gbps share
        // "fast" would give, but the bound must not reward the slow destination either: it is costed at "fast"'s link.
        var inventory = Inventory(
            [Host("a", nic: 25), Host("fast", nic: 25, mem: 16), Host("slow", nic: 1)],
            [Vm("v1", "a", mem: 32, dirty: 0), Vm("filler", "fast", mem: 16)]);
        var request = Request(inventory, ["a"]);

        var plan = Build.Plan(request);

        var move = Assert.Single(plan.Migrations);
        Assert.Equal("slow", move.To);
        var fastest = PreCopyModel.Estimate(32, 0, 12.5, request.Options.MaxDowntime).Duration.TotalSeconds;
        Assert.Equal(fastest, plan.Summary.LowerBoundS, 9);
        Assert.Equal("the longest move (v1)", plan.Summary.Extra!["evacuationBoundSetBy"]);
        Assert.True(plan.Summary.MakespanS > 20 * plan.Summary.LowerBoundS, $"makespan {plan.Summary.MakespanS}, bound {plan.Summary.LowerBoundS}");
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_ManySourcesUnderTheDatacenterLimit_BoundIsAllMoveTimeOverTheLimit()
    {
        var inventory = Inventory(
            [.. Enumerable.Range(0, 6).Select(i => Host($"a{i}", nic: 10)), .. Enumerable.Range(0, 12).Select(i => Host($"d{i}", nic: 10))],
            Enumerable.Range(0, 12).Select(i => Vm($"v{i}", $"a{i % 6}", mem: 8 * (1 + (i % 3)), dirty: 0)));
        var request = Request(inventory, [.. Enumerable.Range(0, 6).Select(i => $"a{i}")], limits: new PlanLimits { MaxConcurrent = 3 });

        var plan = Build.Plan(request);

        Assert.Equal(plan.Migrations.Sum(m => m.EndS - m.StartS) / 3, plan.Summary.LowerBoundS, 9);
        Assert.Equal("all moves under the datacenter's limit of 3 at once", plan.Summary.Extra!["evacuationBoundSetBy"]);
        Assert.InRange(plan.Summary.MakespanS / plan.Summary.LowerBoundS, 1, 1.10);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_LongColdMoveOffTheHostFailingLast_StartsEarlyEnoughNotToBeTheTail()
    {
        // Strict deadline order runs two rounds of "soon" first and "late" last (2 live + cold); "late" becomes critical
        // when its move can no longer end by the bound, and goes first then.
        var request = SoonAndLate(soonFailsAtS: 3600);

        var plan = Build.Plan(request);

        var live = plan.Migrations.First(m => m.From == "soon");
        var cold = plan.Migrations.Single(m => m.Vm == "big");
        var (liveS, coldS) = (live.EndS - live.StartS, cold.EndS - cold.StartS);
        Assert.InRange(coldS, 1.5 * liveS, 2.5 * liveS);
        Assert.Equal(["s0", "s1"], plan.Migrations.Where(m => m.StartS == 0).Select(m => m.Vm).Order());
        Assert.Equal(liveS, cold.StartS, 9);
        Assert.Contains("ahead of moves off hosts failing sooner", cold.Reason, StringComparison.Ordinal);
        Assert.Equal(liveS + coldS, plan.Summary.MakespanS, 9);
        Assert.True(plan.Summary.MakespanS < (2 * liveS) + coldS, $"makespan {plan.Summary.MakespanS} not shorter than strict deadline order's {(2 * liveS) + coldS}");
        Assert.InRange(plan.Summary.MakespanS / plan.Summary.LowerBoundS, 1, 1.05);
        Assert.Equal(1, plan.Summary.Extra!["evacuationMovesAheadOfDeadlineOrder"]);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_OvertakingWouldMakeAMoveLate_DeadlineOrderIsKept()
    {
        // As above, but "soon" fails right after two rounds of its moves: letting the cold move in after the first
        // round would end "soon"'s last move too late, so the plan keeps plain deadline order and "big" is the tail.
        var liveS = PreCopyModel.Estimate(64, 0, 5, TimeSpan.FromMilliseconds(500)).Duration.TotalSeconds;
        var request = SoonAndLate(soonFailsAtS: (2 * liveS) + 1);

        var plan = Build.Plan(request);

        var cold = plan.Migrations.Single(m => m.Vm == "big");
        Assert.Equal(2 * liveS, cold.StartS, 9);
        Assert.All(plan.Migrations.Where(m => m.From == "soon"), m => Assert.True(m.EndS <= (2 * liveS) + 1e-9, $"{m.Vm} ends at {m.EndS}"));
        Assert.Equal(0, plan.Summary.Extra!["lateMoves"]);
        Assert.Equal(0, plan.Summary.Extra["evacuationMovesAheadOfDeadlineOrder"]);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_ReorderingWouldNotShortenTheEvacuation_DeadlineOrderIsKept()
    {
        // One slot: any order ends at the same time, so the host failing first goes first even though its move is shorter.
        var inventory = Inventory([Host("late"), Host("soon"), Host("d", mem: 256)], [Vm("v-late", "late", mem: 64), Vm("v-soon", "soon", mem: 4)]);
        var request = Request(inventory, limits: new PlanLimits { MaxConcurrent = 1 }) with
        {
            AtRisk = [new AtRiskHost("late", 7200, 0.9), new AtRiskHost("soon", 600, 0.5)],
        };

        var plan = Build.Plan(request);

        Assert.Equal(["v-soon", "v-late"], plan.Migrations.OrderBy(m => m.StartS).Select(m => m.Vm));
        Assert.DoesNotContain(plan.Migrations, m => m.Reason.Contains("ahead of", StringComparison.Ordinal));
        Assert.Equal(plan.Summary.LowerBoundS, plan.Summary.MakespanS, 9);
    }

    /// <summary>
    /// Two datacenter slots. "soon" fails first and has four 64 GiB live moves; "late" fails at 7200 s and has one cold
    /// move about twice as long.
    /// </summary>
    private static PlanRequest SoonAndLate(double soonFailsAtS)
    {
        var inventory = Inventory(
            [Host("soon", nic: 10, mem: 512), Host("late", nic: 10), .. Enumerable.Range(0, 5).Select(i => Host($"d{i}", nic: 10, mem: 256, disk: 4000))],
            [.. Enumerable.Range(0, 4).Select(i => Vm($"s{i}", "soon", mem: 64, dirty: 0)), Vm("big", "late", mem: 8, disk: 100, live: false)]);
        return Request(inventory, limits: new PlanLimits { MaxConcurrent = 2 }) with
        {
            AtRisk = [new AtRiskHost("soon", soonFailsAtS, 0.9), new AtRiskHost("late", 7200, 0.9)],
        };
    }
}
