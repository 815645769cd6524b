using Predictor.Learning.Metrics;

namespace Predictor.Learning.Tests.Metrics;

public class BinaryMetricsTests
{
    private static readonly double[] Scores = [0.1, 0.4, 0.4, 0.8];
    private static readonly float[] Labels = [0, 0, 1, 1];

    [Fact]
    public void RocAuc_TiedScores_CountHalf()
    {
        // Pairs (pos, neg): (0.4, 0.1) = 1, (0.4, 0.4) = ½, (0.8, 0.1) = 1, (0.8, 0.4) = 1 → 3.5 / 4.
        Assert.Equal(0.875, BinaryMetrics.RocAuc(Scores, Labels), 12);
    }

    [Fact]
    public void RocAuc_OneClassOnly_IsNaN()
    {
        Assert.True(double.IsNaN(BinaryMetrics.RocAuc([0.1, 0.2], [1, 1])));
    }

    [Fact]
    public void PrAuc_TiedScores_StepAtEachDistinctThreshold()
    {
        // 0.8: recall ½ at precision 1; 0.4 (one positive, one negative): recall 1 at precision ⅔ → ½·1 + ½·⅔.
        Assert.Equal(0.5 + (0.5 * 2 / 3), BinaryMetrics.PrAuc(Scores, Labels), 12);
    }

    [Fact]
    public void LogLoss_HandComputed()
    {
        var expected = -(Math.Log(0.9) + Math.Log(0.6) + Math.Log(0.4) + Math.Log(0.8)) / 4;

        Assert.Equal(expected, BinaryMetrics.LogLoss(Scores, Labels), 12);
    }

    [Fact]
    public void LogLoss_CertainAndWrong_IsClippedNotInfinite()
    {
        Assert.Equal(-Math.Log(BinaryMetrics.LogLossClip), BinaryMetrics.LogLoss([0.0], [1]), 9);
    }

    [Fact]
    public void Brier_HandComputed()
    {
        Assert.Equal((0.01 + 0.16 + 0.36 + 0.04) / 4, BinaryMetrics.Brier(Scores, Labels), 12);
    }

    [Fact]
    public void AtThreshold_HandComputed()
    {
        var (precision, recall, f1) = BinaryMetrics.AtThreshold(Scores, Labels, 0.4);

        Assert.Equal(2.0 / 3, precision, 12);
        Assert.Equal(1.0, recall, 12);
        Assert.Equal(0.8, f1, 12);
    }

    [Fact]
    public void UnitMetrics_PerUnit_CountsUnitsNotRowsAndLeadTime()
    {
        // Drive a fails on day 3 and is flagged from day 1 (lead 48 h); b is healthy but flagged once; c is healthy.
        string[] groups = ["a", "a", "a", "b", "b", "c"];
        string[] times = ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-01", "2024-01-02", "2024-01-03"];
        double[] p = [0.7, 0.2, 0.9, 0.1, 0.6, 0.1];
        float[] labels = [0, 0, 1, 0, 0, 0];

        var point = UnitMetrics.At(0.5, p, labels, groups, times);

        Assert.Equal(new UnitOperatingPoint(0.5, 3, 1, 1.0, 0.5, 48.0), point);
    }
}
