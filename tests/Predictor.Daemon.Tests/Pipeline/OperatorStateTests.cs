using Predictor.Core.Plans;
using Predictor.Core.Risk;
using Predictor.Daemon.Pipeline;
using Predictor.Daemon.Tests.Support;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;

namespace Predictor.Daemon.Tests;

/// <summary>What the dashboard, the read API and the on-call verbs read: releases, risk history, plans, the ladder's progress.</summary>
public sealed class OperatorStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static RiskAssessment Risk(string host, DateTimeOffset at, double p) => new(host, at, p, TimeSpan.FromDays(2), null, [], "test");

    [Fact]
    public async Task Release_QuarantinedHost_TakesVmsAgainAndIsNotFlaggedAgainUntilTheHoldEnds()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory(), new PipelineOptions { ReleaseHold = TimeSpan.FromHours(3) });
        harness.Datacenter.DiskPrecursor("h1", harness.Start);
        await harness.RunUntilAsync(harness.Start + TimeSpan.FromHours(1));
        Assert.Contains("h1", harness.Pipeline.Quarantined);

        var flagged = harness.Pipeline.Release("h1", "disk replaced, ticket 42");

        Assert.NotNull(flagged);
        Assert.DoesNotContain("h1", harness.Pipeline.Quarantined);
        var release = harness.Pipeline.Quarantine.Released()["h1"];
        Assert.Equal("disk replaced, ticket 42", release.Reason);
        Assert.Equal(harness.Clock.GetUtcNow() + TimeSpan.FromHours(3), release.Until);

        // the same evidence (the rules give the same probability) does not quarantine it within the hold
        await harness.RunUntilAsync(harness.Clock.GetUtcNow() + TimeSpan.FromHours(2));
        Assert.DoesNotContain("h1", harness.Pipeline.Quarantined);

        // once the hold is over, the evidence counts again
        await harness.RunUntilAsync(harness.Clock.GetUtcNow() + TimeSpan.FromHours(2));
        Assert.Contains("h1", harness.Pipeline.Quarantined);
        Assert.Empty(harness.Pipeline.Quarantine.Released());
    }

    [Fact]
    public async Task Release_HostNotQuarantined_ReturnsNullAndRecordsNothing()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory());
        await harness.RunUntilAsync(harness.Start + TimeSpan.FromMinutes(10));

        Assert.Null(harness.Pipeline.Release("h2", "looked fine"));
        Assert.Null(harness.Pipeline.Release("no-such-host", "typo"));
        Assert.Empty(harness.Pipeline.Quarantine.Released());
    }

    [Fact]
    public void Holds_ReleasedHost_OnlyTenfoldOddsBreakTheHold()
    {
        var quarantine = new QuarantineSet();
        quarantine.Add(Risk("h1", T0, 0.9));
        quarantine.Release("h1", "checked", T0, TimeSpan.FromHours(24), current: 0.95);

        // odds 19 at release: 0.99 (odds 99) is not tenfold, 0.995 (odds 199) is
        Assert.True(quarantine.Holds(Risk("h1", T0.AddHours(1), 0.99)));
        Assert.False(quarantine.Holds(Risk("h1", T0.AddHours(1), 0.995)));
        Assert.False(quarantine.Holds(Risk("h1", T0.AddHours(24), 0.9)));
        Assert.False(quarantine.Holds(Risk("h2", T0.AddHours(1), 0.9)));
    }

    [Fact]
    public async Task Release_HostWhoseUpdateWasDroppedWhenFlagged_GetsItsUpdateBack()
    {
        await using var harness = new PipelineHarness(
            ScriptedDatacenter.SmallInventory(), updates: [new HostUpdate("h1", "kernel-7", UpdateKind.Reboot)]);
        harness.Datacenter.DiskPrecursor("h1", harness.Start - TimeSpan.FromDays(1));
        await harness.RunUntilAsync(harness.Start + TimeSpan.FromMinutes(10));
        Assert.Contains("h1", harness.Pipeline.Quarantined);
        Assert.Equal(0, harness.Pipeline.PendingUpdateCount);

        harness.Pipeline.Release("h1", "disk replaced");
        await harness.RunUntilAsync(harness.Clock.GetUtcNow() + TimeSpan.FromMinutes(5));

        var domain = Assert.Single(harness.Pipeline.Ladder.Domains, d => d.Domain == harness.Datacenter.Inventory().GetHost("h1").UpdateDomain);
        Assert.Equal(0, domain.Dropped);
        Assert.Equal(1, domain.Pending + domain.UnderWay + domain.Applied);
    }

    [Fact]
    public async Task Pass_EvacuationPlan_IsKeptWithEachStepsOutcome()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory());
        harness.Datacenter.DiskPrecursor("h1", harness.Start);

        await harness.RunUntilAsync(harness.Start + TimeSpan.FromHours(1));

        var plan = harness.Pipeline.Plans.Find(null);
        Assert.NotNull(plan);
        Assert.Equal(plan, harness.Pipeline.Plans.Find(plan.Id));
        Assert.Contains("h1", plan.Plan.AtRisk);
        var moves = plan.Plan.Migrations.Where(m => m.From == "h1").ToList();
        Assert.NotEmpty(moves);
        Assert.All(moves, m => Assert.True(harness.Pipeline.Plans.Outcome($"{plan.Id}/{m.Vm}")?.Succeeded, $"{m.Vm} has no successful outcome"));
        Assert.Null(harness.Pipeline.Plans.Find("plan-that-never-was"));
    }

    [Fact]
    public async Task Pass_RolloutOverTwoDomains_ProgressCountsAppliedHostsAndRungs()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory(), updates:
        [
            new HostUpdate("h1", "u", UpdateKind.HotPatchable), new HostUpdate("h2", "u", UpdateKind.HotPatchable), new HostUpdate("h4", "u", UpdateKind.HotPatchable),
        ]);

        await harness.RunUntilAsync(harness.Start + TimeSpan.FromHours(1));

        var ladder = harness.Pipeline.Ladder;
        Assert.Equal(0, harness.Pipeline.PendingUpdateCount);
        Assert.Equal(3, ladder.Domains.Sum(d => d.Applied));
        Assert.Equal([0, 1], ladder.Domains.Select(d => d.Domain));
        Assert.Equal(3, ladder.Rungs[MaintenanceAction.HotPatch]);
        Assert.Empty(ladder.UnderWay);
    }

    [Fact]
    public void RiskHistory_AssessmentsOverHours_KeepsTheHourlyHighestWithGapsAndTheLastPassDistribution()
    {
        var history = new RiskHistory();
        history.Record([Risk("h1", T0.AddMinutes(10), 0.2), Risk("h2", T0.AddMinutes(10), 0.95)], T0.AddMinutes(10), 0.9);
        history.Record([Risk("h1", T0.AddMinutes(40), 0.6)], T0.AddMinutes(40), 0.9);
        history.Record([Risk("h1", T0.AddMinutes(50), 0.3)], T0.AddMinutes(50), 0.9);
        // no assessment of h1 in the second hour
        history.Record([Risk("h1", T0.AddHours(2).AddMinutes(5), 0.1), Risk("h2", T0.AddHours(2).AddMinutes(5), 0.97)], T0.AddHours(2).AddMinutes(5), 0.9);

        var h1 = history.Of("h1");
        Assert.Equal([T0.AddHours(1), T0.AddHours(3)], h1.Select(p => p.HourEnd));
        Assert.Equal(0.6, h1[0].Probability, 3);
        Assert.Equal(0.1, h1[1].Probability, 3);
        Assert.Equal(0.1, history.Latest()["h1"].Probability);
        Assert.Equal((T0.AddHours(2).AddMinutes(5), 0.1), history.LatestOf("h1"));
        Assert.Null(history.LatestOf("h9"));
        Assert.Empty(history.Of("h9"));
        var last = history.LastPass;
        Assert.Equal((2, 1), (last.Assessed, last.AtRisk));
        Assert.Equal(1, last.Distribution[1]);
        Assert.Equal(1, last.Distribution[9]);
    }

    [Fact]
    public void RiskHistory_MoreThanAWeek_KeepsTheNewestWeekOnly()
    {
        var history = new RiskHistory();
        for (var hour = 0; hour < RiskHistory.Hours + 30; hour++)
        {
            history.Record([Risk("h1", T0.AddHours(hour).AddMinutes(30), hour / 1000.0)], T0.AddHours(hour).AddMinutes(30), 0.9);
        }

        var points = history.Of("h1");
        Assert.Equal(RiskHistory.Hours, points.Count);
        Assert.Equal(T0.AddHours(31), points[0].HourEnd);
        Assert.Equal(30 / 1000.0, points[0].Probability, 3);
        Assert.Equal(T0.AddHours(RiskHistory.Hours + 30), points[^1].HourEnd);
    }

    [Fact]
    public void PlanHistory_MorePlansThanItKeeps_ForgetsTheOldestAndTheirOutcomes()
    {
        var plans = new PlanHistory();
        for (var i = 0; i < PlanHistory.Capacity + 2; i++)
        {
            plans.Submitted($"plan-{i}", T0.AddMinutes(i), MaintenancePlan.Empty, 1);
        }

        plans.Finished([new ExecutionOutcome("plan-0/v1", StepKind.LiveMigration, "v1", "h1", "h2", true, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100), "moved")]);
        plans.Finished([new ExecutionOutcome("plan-11/v1", StepKind.LiveMigration, "v1", "h1", "h2", false, TimeSpan.FromSeconds(5), TimeSpan.Zero, "refused", FailureKind.Refused)]);

        Assert.Equal(PlanHistory.Capacity, plans.Ids().Count);
        Assert.Equal("plan-11", plans.Find(null)!.Id);
        Assert.Null(plans.Find("plan-0"));
        Assert.Null(plans.Outcome("plan-0/v1"));
        Assert.False(plans.Outcome("plan-11/v1")!.Succeeded);
    }
}
