using Predictor.Learning.Lifecycle;

namespace Predictor.Learning.Tests.Lifecycle;

public sealed class OperatingPointTests
{
    // four hosts, two rows each: f1 and f2 fail (a positive row), g1 and g2 stay healthy
    private static readonly string[] Hosts = ["f1", "f1", "f2", "f2", "g1", "g1", "g2", "g2"];
    private static readonly float[] Labels = [0, 1, 0, 1, 0, 0, 0, 0];
    private static readonly double[] Scores = [0.2, 0.9, 0.1, 0.6, 0.7, 0.3, 0.5, 0.4];

    [Fact]
    public void AtBudget_NoFalseEvacuationAllowed_ThresholdIsJustAboveTheHighestHealthyHost()
    {
        // 8 rows of a day each: 8 host-days, a budget of 100 per 1,000 host-days allows 0.8, so none
        var point = OperatingPoint.AtBudget(Scores, Labels, Hosts, hostDays: 8, budgetPer1000HostDays: 100);

        Assert.Equal(Math.BitIncrement(0.7), point.Threshold);
        Assert.Equal((2, 1, 2, 0), (point.FailingHosts, point.Caught, point.HealthyHosts, point.FalseEvacuations));
        Assert.Equal(0.5, point.Recall);
        Assert.Equal(0, point.FalseEvacuationsPer1000HostDays);
    }

    [Fact]
    public void AtBudget_OneFalseEvacuationAllowed_CatchesEveryFailingHost()
    {
        var point = OperatingPoint.AtBudget(Scores, Labels, Hosts, hostDays: 8, budgetPer1000HostDays: 125);

        Assert.Equal(Math.BitIncrement(0.5), point.Threshold);
        Assert.Equal((2, 1), (point.Caught, point.FalseEvacuations));
        Assert.Equal(125, point.FalseEvacuationsPer1000HostDays);
    }

    [Fact]
    public void AtBudget_NaNScore_CountsAsAFlag()
    {
        var point = OperatingPoint.AtBudget([double.NaN, 0.1], [0, 1], ["g", "f"], hostDays: 2, budgetPer1000HostDays: 0);

        Assert.Equal(double.PositiveInfinity, point.Threshold);
        Assert.Equal(0, point.Caught);
    }

    [Fact]
    public void Expected_CalibrationError_WeighsEachBinsGap()
    {
        // bin 0.1-0.2: mean p 0.1 against 0 positives; bin 0.9-1.0: mean p 0.9 against 1 of 2
        var error = CalibrationError.Expected([0.1, 0.1, 0.9, 0.9], [0, 0, 1, 0]);

        Assert.Equal(0.5 * 0.1 + 0.5 * 0.4, error, 12);
    }
}
