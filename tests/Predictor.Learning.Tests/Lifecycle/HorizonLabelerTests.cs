using Predictor.Core.Outcomes;
using Predictor.Learning.Lifecycle;

namespace Predictor.Learning.Tests.Lifecycle;

public sealed class HorizonLabelerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Horizon = TimeSpan.FromHours(48);

    private static DateTimeOffset H(double hours) => T0.AddHours(hours);

    private static HorizonLabeler Labeler(params HostOutcome[] outcomes) => new(outcomes, Horizon, H(24 * 10));

    [Fact]
    public void Label_FailureWithinTheHorizon_IsPositive_AndOneJustBeyondItIsNot()
    {
        var labeler = Labeler(new HostOutcome("h1", H(100), OutcomeKind.Failed));

        Assert.Equal(RowLabel.Positive, labeler.Label("h1", H(52)));
        Assert.Equal(RowLabel.Positive, labeler.Label("h1", H(99)));
        Assert.Equal(RowLabel.Negative, labeler.Label("h1", H(51)));
    }

    [Fact]
    public void Label_HostNeverFailed_IsNegativeOnlyWhileTheWholeHorizonWasObserved()
    {
        var labeler = Labeler();

        Assert.Equal(RowLabel.Negative, labeler.Label("h2", H(24 * 8)));
        Assert.Equal(RowLabel.Censored, labeler.Label("h2", H(24 * 8 + 1)));
    }

    [Fact]
    public void Label_WindowNotFullyObserved_IsCensoredEvenWhenTheHostFailedInIt()
    {
        var labeler = new HorizonLabeler([new HostOutcome("h1", H(100), OutcomeKind.Failed)], Horizon, H(120));

        Assert.Equal(RowLabel.Positive, labeler.Label("h1", H(70)));
        Assert.Equal(RowLabel.Censored, labeler.Label("h1", H(75)));
    }

    [Fact]
    public void Label_EvacuatedOnAPredictionWithoutAFailureSeen_IsCensoredNotNegative()
    {
        // flagged at 60 h, released by an operator at 90 h: a failure the evacuation hid could never have been seen
        var labeler = Labeler(
            new HostOutcome("h1", H(60), OutcomeKind.Evacuated, ModelVersion: "v0001", Probability: 0.97),
            new HostOutcome("h1", H(90), OutcomeKind.Released));

        Assert.Equal(RowLabel.Negative, labeler.Label("h1", H(11)));
        Assert.Equal(RowLabel.Censored, labeler.Label("h1", H(13)));
        Assert.Equal(RowLabel.Censored, labeler.Label("h1", H(70)));
        Assert.Equal(RowLabel.Negative, labeler.Label("h1", H(91)));
    }

    [Fact]
    public void Label_FailureWhileEvacuated_IsStillPositive()
    {
        var labeler = Labeler(new HostOutcome("h1", H(60), OutcomeKind.Evacuated), new HostOutcome("h1", H(80), OutcomeKind.Failed));

        Assert.Equal(RowLabel.Positive, labeler.Label("h1", H(40)));
        Assert.Equal(RowLabel.Positive, labeler.Label("h1", H(70)));
    }

    [Fact]
    public void Label_DownUntilRepaired_IsOutOfService_ThenTheHostCountsAgain()
    {
        var labeler = Labeler(new HostOutcome("h1", H(10), OutcomeKind.Failed), new HostOutcome("h1", H(30), OutcomeKind.Repaired, Source: "ticket"));

        Assert.Equal(RowLabel.OutOfService, labeler.Label("h1", H(10)));
        Assert.Equal(RowLabel.OutOfService, labeler.Label("h1", H(29)));
        Assert.Equal(RowLabel.Negative, labeler.Label("h1", H(30)));
    }

    [Fact]
    public void Label_DecommissionedWithinTheHorizon_IsCensored_AndAfterwardsOutOfService()
    {
        var labeler = Labeler(new HostOutcome("h1", H(50), OutcomeKind.Decommissioned));

        Assert.Equal(RowLabel.Censored, labeler.Label("h1", H(20)));
        Assert.Equal(RowLabel.OutOfService, labeler.Label("h1", H(60)));
    }
}
