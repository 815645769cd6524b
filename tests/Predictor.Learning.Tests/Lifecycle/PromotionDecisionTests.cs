using Predictor.Learning.Lifecycle;

namespace Predictor.Learning.Tests.Lifecycle;

public sealed class PromotionDecisionTests
{
    private static readonly PromotionRules Rules = new(BudgetPer1000HostDays: 5, MaxCalibrationError: 0.05);

    private static SliceEvaluation Model(int caught, int falseEvacuations, double calibrationError = 0.01, int nonFinite = 0, int failing = 10, int healthy = 190) =>
        new("m.json", 4800, 200, new OperatingPoint(0.9, (double)caught / failing, failing, caught, healthy, falseEvacuations, 4800 / 24.0, 5),
            0.8, 0.5, 0.04, calibrationError, nonFinite);

    [Fact]
    public void Decide_ChallengerCatchesMore_IsPromoted()
    {
        var decision = PromotionDecision.Decide(Model(8, 1), Model(6, 1), null, Rules, []);

        Assert.True(decision.Promote);
        Assert.Equal(
            "better at 5 false evacuations per 1,000 host-days: the challenger catches 8 of 10 failing hosts (80%) with 1 false evacuations (threshold 0.9); the champion 6 (60%) with 1 (threshold 0.9)",
            Assert.Single(decision.Reasons));
    }

    [Fact]
    public void Decide_SameCatchFewerFalseEvacuations_IsPromoted_ButEqualOrWorseIsNot()
    {
        Assert.True(PromotionDecision.Decide(Model(6, 0), Model(6, 1), null, Rules, []).Promote);
        Assert.False(PromotionDecision.Decide(Model(6, 1), Model(6, 1), null, Rules, []).Promote);
        Assert.False(PromotionDecision.Decide(Model(5, 0), Model(6, 1), null, Rules, []).Promote);
    }

    [Fact]
    public void Decide_BetterButInsane_IsRefusedWithEveryReason()
    {
        var decision = PromotionDecision.Decide(Model(9, 0, calibrationError: 0.2, nonFinite: 3), Model(6, 1), null, Rules, ["the daemon could not serve the challenger: features"]);

        Assert.False(decision.Promote);
        Assert.Equal(
            [
                "the daemon could not serve the challenger: features",
                "the challenger scored 3 rows NaN or infinite",
                "the challenger's calibration error 0.2000 is above the bound 0.0500",
                "better at 5 false evacuations per 1,000 host-days: the challenger catches 9 of 10 failing hosts (90%) with 0 false evacuations (threshold 0.9); the champion 6 (60%) with 1 (threshold 0.9)",
            ],
            decision.Reasons);
        Assert.False(PromotionDecision.Decide(Model(9, 0, nonFinite: 1), null, null, Rules, []).Promote);
    }

    [Fact]
    public void Decide_SliceWithoutFailingHosts_IsNoEvidence()
    {
        var decision = PromotionDecision.Decide(Model(0, 0, failing: 0), null, null, Rules, []);

        Assert.Equal((false, true), (decision.Promote, decision.NoEvidence));
    }

    [Fact]
    public void Decide_NoChampionOrOneThatCannotBeEvaluated_PromotesASaneChallenger()
    {
        Assert.True(PromotionDecision.Decide(Model(3, 0), null, null, Rules, []).Promote);
        var decision = PromotionDecision.Decide(Model(3, 0), null, "missing feature column(s) 'old.feature'", Rules, []);
        Assert.True(decision.Promote);
        Assert.StartsWith("the champion cannot be evaluated: missing feature column(s) 'old.feature'; ", decision.Reasons[0], StringComparison.Ordinal);
    }
}
