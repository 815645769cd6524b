using Predictor.Learning.TimeSeries.SpectralResidual;

namespace Predictor.Learning.Tests.TimeSeries;

public sealed class StlDecompositionTests
{
    private static double[] SeasonalWithTrend(int n, int period) =>
        [.. Enumerable.Range(0, n).Select(i => (10 * Math.Sin(2 * Math.PI * (i % period) / period)) + (0.05 * i) + 3)];

    [Theory]
    [InlineData(60, 12)]
    [InlineData(1000, 24)]
    public void SeasonalPlusLinearTrend_ResidualIsZero(int n, int period)
    {
        var residual = StlDecomposition.Residual(SeasonalWithTrend(n, period), period);

        Assert.NotNull(residual);
        Assert.All(residual, r => Assert.True(Math.Abs(r) < 1e-9, $"residual {r}"));
    }

    [Fact]
    public void FewerThanThreePeriods_CannotDecompose_AndDetectionFallsBackToTheMedianMode()
    {
        var values = SeasonalWithTrend(35, 12);
        values[20] += 40;

        Assert.Null(StlDecomposition.Residual(values, 12));
        var stl = SrCnnEntireDetector.Detect(values, new SrCnnEntireOptions { BatchSize = -1, Period = 12, DetectMode = SrCnnDetectMode.AnomalyAndMargin });
        var median = SrCnnEntireDetector.Detect(values, new SrCnnEntireOptions { BatchSize = -1, Period = 12, DetectMode = SrCnnDetectMode.AnomalyAndMargin, DeseasonalityMode = SrCnnDeseasonalityMode.Median });
        Assert.Equal(median, stl);
    }

    [Theory]
    [InlineData(7, 13)]
    [InlineData(12, 23)]
    [InlineData(288, 519)]
    public void TrendSpan_IsTheLeastOddIntegerAboveOneAndAHalfPeriodsOverOneMinusOneAndAHalfOverNine(int period, int span) =>
        Assert.Equal(span, StlDecomposition.TrendSpan(period));

    [Fact]
    public void Loess_OfALineWithOneOutlier_DownweightsTheOutlierAndExtrapolatesTheLine()
    {
        var ys = Enumerable.Range(0, 21).Select(x => (2.0 * x) + 1).ToArray();
        ys[10] = 100;
        var loess = new Loess(ys, 9);

        var fitted = loess.Fitted();
        // tricube weights alone would leave the fit at the outlier near 34; the bisquare refit brings it near the line's 21
        Assert.InRange(fitted[10], 21, 25);
        Assert.Equal(5, fitted[2], 9);
        Assert.Equal(-1, loess.At(-1), 9);
        Assert.Equal(43, loess.At(21), 9);
    }

    [Fact]
    public void Loess_OfFewerThanThreePoints_IsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Loess([1, 2], 9));
        Assert.StartsWith("a loess needs at least 3 points, got 2", ex.Message);
    }
}
