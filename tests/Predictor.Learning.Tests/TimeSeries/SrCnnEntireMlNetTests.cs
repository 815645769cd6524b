using Predictor.Learning.TimeSeries;
using Predictor.Learning.TimeSeries.SpectralResidual;

namespace Predictor.Learning.Tests.TimeSeries;

/// <summary>
/// The expectations of ML.NET's own whole-series SR tests (<c>TimeSeriesDirectApi</c>) and sample
/// (<c>DetectEntireAnomalyBySrCnn</c>), on the same data (<c>MlNetData/</c>).
/// </summary>
public sealed class SrCnnEntireMlNetTests
{
    private static double[] Load(string name) =>
        [.. File.ReadLines(NabEvaluationTests.RepositoryFile("tests", "Predictor.Learning.Tests", "TimeSeries", "MlNetData", name + ".csv"))
            .Skip(1).Where(l => l.Length > 0).Select(l => double.Parse(l, System.Globalization.CultureInfo.InvariantCulture))];

    private static double[] FlatWithSpike() => [.. Enumerable.Repeat(5.0, 20), 10.0, .. Enumerable.Repeat(5.0, 5)];

    private static int[] Alerts(SrCnnEntirePoint[] points) => [.. points.Select((p, i) => (p, i)).Where(x => x.p.IsAnomaly).Select(x => x.i)];

    [Fact]
    public void Sample_FlatSeriesWithSpike_PrintsMlNetsTable()
    {
        // The sample's printed AnomalyScore (0.50) and boundaries (5 ± 0.01) predate ML.NET's boundary upgrade (PR #5436):
        // under the current factor curve a point one unit away scores 0.45 (f(55) = 1) and the margin at 90 is 5 · f(90).
        var points = SrCnnEntireDetector.Detect(FlatWithSpike(), new SrCnnEntireOptions { Threshold = 0.35, BatchSize = 512, Sensitivity = 90, DetectMode = SrCnnDetectMode.AnomalyAndMargin });

        // Mag as the sample prints it, to two decimals.
        double[] mags = [0.21, 0.11, 0.03, 0.01, 0.03, 0.06, 0.02, 0.01, 0.01, 0.01, 0.00, 0.01, 0.01, 0.02, 0.07, 0.08, 0.02, 0.05, 0.12, 0.17, 0.80, 0.16, 0.11, 0.05, 0.11, 0.19];
        Assert.Equal([20], Alerts(points));
        Assert.Equal(0.45, points[20].AnomalyScore, 1e-9);
        double margin = 5 * SrCnnMargin.Factor(90);
        for (int i = 0; i < points.Length; i++)
        {
            Assert.Equal(mags[i], points[i].Mag, 0.005);
            Assert.Equal(5.00, points[i].ExpectedValue, 0.005);
            Assert.Equal(5.00, points[i].BoundaryUnit, 0.005);
            Assert.Equal(5 + margin, points[i].UpperBoundary, 1e-3);
            Assert.Equal(5 - margin, points[i].LowerBoundary, 1e-3);
            Assert.Equal(0.0, i == 20 ? 0 : points[i].AnomalyScore);
        }
    }

    [Theory]
    [InlineData(SrCnnDetectMode.AnomalyOnly, -1)]
    [InlineData(SrCnnDetectMode.AnomalyOnly, 24)]
    [InlineData(SrCnnDetectMode.AnomalyOnly, 26)]
    [InlineData(SrCnnDetectMode.AnomalyOnly, 512)]
    [InlineData(SrCnnDetectMode.AnomalyAndExpectedValue, -1)]
    [InlineData(SrCnnDetectMode.AnomalyAndExpectedValue, 24)]
    [InlineData(SrCnnDetectMode.AnomalyAndExpectedValue, 26)]
    [InlineData(SrCnnDetectMode.AnomalyAndExpectedValue, 512)]
    [InlineData(SrCnnDetectMode.AnomalyAndMargin, -1)]
    [InlineData(SrCnnDetectMode.AnomalyAndMargin, 24)]
    [InlineData(SrCnnDetectMode.AnomalyAndMargin, 26)]
    [InlineData(SrCnnDetectMode.AnomalyAndMargin, 512)]
    public void BatchDetector_SpikeAtTwenty_OnlyAlertIsTheSpike(SrCnnDetectMode mode, int batchSize)
    {
        var values = Load("anomaly_detection");
        Assert.Equal(FlatWithSpike(), values);

        var points = SrCnnEntireDetector.Detect(values, new SrCnnEntireOptions { Threshold = 0.35, BatchSize = batchSize, Sensitivity = 98, DetectMode = mode });

        Assert.Equal([20], Alerts(points));
        if (mode != SrCnnDetectMode.AnomalyOnly)
        {
            Assert.Equal(5.00, points[20].ExpectedValue, 0.01);
        }

        if (mode == SrCnnDetectMode.AnomalyAndMargin)
        {
            Assert.Equal(5.00, points[20].BoundaryUnit, 0.01);
            Assert.Equal(5.01, points[20].UpperBoundary, 0.01);
            Assert.Equal(4.99, points[20].LowerBoundary, 0.01);
            Assert.True(values[20] > points[20].UpperBoundary);
        }
    }

    [Theory]
    [InlineData(SrCnnDetectMode.AnomalyOnly)]
    [InlineData(SrCnnDetectMode.AnomalyAndExpectedValue)]
    public void BigSpike_OnlyTheSpikeAlerts(SrCnnDetectMode mode)
    {
        var points = SrCnnEntireDetector.Detect(Load("big_spike_data"), new SrCnnEntireOptions { Threshold = 0.3, BatchSize = -1, Sensitivity = 80, DetectMode = mode });

        Assert.Equal([26], Alerts(points));
    }

    [Fact]
    public void AnomalyAtBeginning_SecondPointAlertsAndEveryOtherPointLiesWithinItsBoundaries()
    {
        var values = Load("anomaly_at_beginning");
        var points = SrCnnEntireDetector.Detect(values, new SrCnnEntireOptions { Threshold = 0.3, BatchSize = -1, Sensitivity = 80, DetectMode = SrCnnDetectMode.AnomalyAndMargin });

        Assert.Equal([1], Alerts(points));
        AssertWithinOwnBoundariesUnlessAnomaly(values, points);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void NonNegativeSeries_ExpectedValueNeverCrossesZero(bool positive)
    {
        var values = Load("non_negative_case").Select(v => positive ? v : -v).ToArray();
        var points = SrCnnEntireDetector.Detect(values, new SrCnnEntireOptions { Threshold = 0.1, BatchSize = -1, Sensitivity = 99, DetectMode = SrCnnDetectMode.AnomalyAndMargin });

        Assert.All(points, p => Assert.True(positive ? p.ExpectedValue >= 0 : p.ExpectedValue <= 0, $"expected value {p.ExpectedValue}"));
    }

    [Theory]
    [InlineData(SrCnnDeseasonalityMode.Stl)]
    [InlineData(SrCnnDeseasonalityMode.Mean)]
    [InlineData(SrCnnDeseasonalityMode.Median)]
    public void SeasonalSeriesWithoutAnomaly_NoAlertAndEveryPointWithinItsBoundaries(SrCnnDeseasonalityMode mode)
    {
        var values = Load("period_no_anomaly");
        var points = SrCnnEntireDetector.Detect(values, new SrCnnEntireOptions { Threshold = 0.3, BatchSize = -1, Sensitivity = 64, DetectMode = SrCnnDetectMode.AnomalyAndMargin, Period = 288, DeseasonalityMode = mode });

        Assert.Empty(Alerts(points));
        AssertWithinOwnBoundariesUnlessAnomaly(values, points);
    }

    [Theory]
    [InlineData(SrCnnDeseasonalityMode.Stl)]
    [InlineData(SrCnnDeseasonalityMode.Mean)]
    [InlineData(SrCnnDeseasonalityMode.Median)]
    public void SeasonalSeriesWithAnomaly_AlertsExactlyTheAnomalousStretch(SrCnnDeseasonalityMode mode)
    {
        var values = Load("period_anomaly");
        var points = SrCnnEntireDetector.Detect(values, new SrCnnEntireOptions { Threshold = 0.23, BatchSize = -1, Sensitivity = 63, DetectMode = SrCnnDetectMode.AnomalyAndMargin, Period = 288, DeseasonalityMode = mode });

        Assert.Equal(Enumerable.Range(2988, 3095 - 2988 + 1), Alerts(points));
        AssertWithinOwnBoundariesUnlessAnomaly(values, points);
    }

    [Theory]
    [InlineData("period_no_anomaly")]
    [InlineData("period_anomaly")]
    public void SeasonalSeries_StlDecomposes_SoTheStlCasesAreNotTheMedianFallback(string name)
    {
        var values = Load(name);
        var stl = StlDecomposition.Residual(values, 288);

        Assert.NotNull(stl);
        var median = SrCnnDeseasonality.Residual(values, 288, SrCnnDeseasonalityMode.Median);
        Assert.True(stl.Zip(median).Max(p => Math.Abs(p.First - p.Second)) > 1, "the STL residual should differ from the median one");
    }

    [Fact]
    public void Options_PeriodLongerThanAQuarterBatch_IsRejected()
    {
        var ex = Assert.Throws<DetectorOptionsException>(() => SrCnnEntireDetector.Detect(new double[64], new SrCnnEntireOptions { BatchSize = 40, Period = 12 }));

        Assert.Equal(["BatchSize must be at least four periods (48) when Period is 12, got 40"], ex.Errors);
    }

    private static void AssertWithinOwnBoundariesUnlessAnomaly(double[] values, SrCnnEntirePoint[] points)
    {
        for (int i = 0; i < values.Length; i++)
        {
            var p = points[i];
            bool outside = values[i] < p.LowerBoundary || values[i] > p.UpperBoundary;
            Assert.True(p.IsAnomaly == outside, $"point {i}: value {values[i]}, boundaries [{p.LowerBoundary}, {p.UpperBoundary}], anomaly {p.IsAnomaly}");
        }
    }
}
