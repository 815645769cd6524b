using System.Numerics;
using Predictor.Learning.TimeSeries;
using Predictor.Learning.TimeSeries.SpectralResidual;

namespace Predictor.Learning.Tests.TimeSeries;

public sealed class SpectralResidualTests
{
    /// <summary>The saliency map by the textbook O(N²) DFT, as an independent reference.</summary>
    private static double[] ReferenceSaliency(double[] x, int averaging)
    {
        int n = x.Length;
        var spectrum = new Complex[n];
        for (int k = 0; k < n; k++)
        {
            for (int t = 0; t < n; t++)
            {
                spectrum[k] += x[t] * Complex.Exp(new Complex(0, -2 * Math.PI * k * t / n));
            }
        }

        var log = spectrum.Select(c => c.Magnitude > 1e-8 ? Math.Log(c.Magnitude) : 0).ToArray();
        var transformed = new Complex[n];
        for (int k = 0; k < n; k++)
        {
            int from = Math.Max(0, k - averaging + 1);
            double mean = log.Skip(from).Take(k - from + 1).Average();
            transformed[k] = log[k] != 0 ? spectrum[k] / spectrum[k].Magnitude * Math.Exp(log[k] - mean) : Complex.Zero;
        }

        var saliency = new double[n];
        for (int t = 0; t < n; t++)
        {
            Complex sum = 0;
            for (int k = 0; k < n; k++)
            {
                sum += transformed[k] * Complex.Exp(new Complex(0, 2 * Math.PI * k * t / n));
            }

            saliency[t] = sum.Magnitude / n;
        }

        return saliency;
    }

    [Fact]
    public void Saliency_ConstantSeries_IsOneOverNEverywhereAndScoresZero()
    {
        // Only the DC bin is non-zero; its residual is 0, so the inverse is the constant 1/N.
        var scores = SrCnnEntireDetector.Saliency(Enumerable.Repeat(4.0, 12).ToArray(), out var mags);

        Assert.All(mags, m => Assert.Equal(1.0 / 17, m, 1e-12));
        Assert.All(scores, s => Assert.Equal(0, s, 1e-9));
    }

    [Fact]
    public void Saliency_TinySeries_MatchesTextbookDft()
    {
        double[] series = [1, 2, 1, 2, 1, 9, 1, 2, 1, 2, 1, 2];
        // Extended by 5 copies of x[6] + Σ (x[10] − x[i])/(10 − i) over x[5..10], as the detector extrapolates.
        var window = series[5..11];
        double slopes = Enumerable.Range(0, 5).Sum(i => (window[5] - window[i]) / (5 - i));
        var extended = series.Concat(Enumerable.Repeat(window[1] + slopes, 5)).ToArray();
        var expected = ReferenceSaliency(extended, 3);

        SrCnnEntireDetector.Saliency(series, out var mags);

        for (int i = 0; i < series.Length; i++)
        {
            Assert.Equal(expected[i], mags[i], 1e-9);
        }
    }

    [Fact]
    public void Streaming_NewestPoint_MatchesReferenceScore()
    {
        var options = new SrCnnDetectorOptions { WindowSize = 16, JudgementWindowSize = 8 };
        var series = SyntheticSeries.Seasonal(16, 8, 3, 0.2, seed: 2);
        series[15] += 5;
        var detector = new SrCnnDetector(options);
        var last = SeriesDetection.Run(detector, series)[^1];

        var window = series[9..15];
        double slopes = Enumerable.Range(0, 5).Sum(i => (window[5] - window[i]) / (5 - i));
        var saliency = ReferenceSaliency(series.Concat(Enumerable.Repeat(window[1] + slopes, 5)).ToArray(), 3);
        double mean = saliency.Skip(8).Take(8).Average();
        double expected = Math.Abs(saliency[15] - mean) / mean / 10;

        Assert.Equal(saliency[15], last.Magnitude, 1e-4);
        Assert.Equal(expected, last.RawScore, 1e-4);
        Assert.Equal(expected > 0.3, last.Alert);
    }

    [Fact]
    public void Streaming_SeasonalSeriesWithSpikes_AlertsAtTheSpikes()
    {
        var series = SyntheticSeries.Seasonal(600, 24, 10, 0.5, seed: 9);
        series[250] += 25;
        series[450] -= 25;
        var alerts = SyntheticSeries.Alerts(SeriesDetection.Run(new SrCnnDetector(new SrCnnDetectorOptions()), series));

        Assert.Contains(250, alerts);
        Assert.Contains(450, alerts);
        Assert.True(alerts.Length <= 6, $"alerts at {string.Join(",", alerts)}");
    }

    [Fact]
    public void Streaming_FirstWindowMinusOnePoints_ScoreNothing()
    {
        var scores = SeriesDetection.Run(new SrCnnDetector(new SrCnnDetectorOptions()), SyntheticSeries.Noise(64, 0, 1, 1));

        Assert.All(scores.Take(63), s => Assert.Equal(AnomalyScore.None, s));
        Assert.False(double.IsNaN(scores[63].RawScore));
    }

    [Fact]
    public void MarginFactors_FollowMlNetsPiecewiseCurve()
    {
        Assert.Equal(532.0, SrCnnMargin.Factor(0), 1e-12);
        Assert.Equal(32.8, SrCnnMargin.Factor(24), 1e-12);
        Assert.Equal(5.0, SrCnnMargin.Factor(45), 1e-12);
        Assert.Equal(1.0, SrCnnMargin.Factor(55), 1e-12);
        Assert.Equal(0.3, SrCnnMargin.Factor(75), 1e-12);
        Assert.Equal(0.012, SrCnnMargin.Factor(94), 1e-12);
        Assert.Equal(0.0, SrCnnMargin.Factor(100));
        Assert.Equal((1.0 + 0.96) / 2, SrCnnMargin.Factor(55.5), 1e-12);
    }

    [Fact]
    public void Entire_MarginMode_SpikeOutsideBoundariesNormalPointsInside()
    {
        var series = SyntheticSeries.Seasonal(400, 40, 20, 0.3, seed: 4).Select(v => v + 100).ToArray();
        series[200] += 60;
        var points = SrCnnEntireDetector.Detect(series, new SrCnnEntireOptions { DetectMode = SrCnnDetectMode.AnomalyAndMargin, Sensitivity = 90 });

        Assert.True(points[200].IsAnomaly);
        Assert.True(series[200] > points[200].UpperBoundary);
        Assert.InRange(points[200].AnomalyScore, 0.01, 1);
        Assert.Equal(1, points.Count(p => p.IsAnomaly));
        Assert.All(points, p => Assert.True(p.LowerBoundary <= p.ExpectedValue && p.ExpectedValue <= p.UpperBoundary));
    }

    [Fact]
    public void Entire_ExpectedValueMode_FollowsTheSeasonalShapeThroughTheSpike()
    {
        var clean = SyntheticSeries.Seasonal(256, 32, 10, 0, seed: 0);
        var series = (double[])clean.Clone();
        series[100] += 50;
        var points = SrCnnEntireDetector.Detect(series, new SrCnnEntireOptions { DetectMode = SrCnnDetectMode.AnomalyAndExpectedValue, BatchSize = -1 });

        Assert.True(points[100].IsAnomaly);
        Assert.Equal(clean[100], points[100].ExpectedValue, 1.0);
        Assert.True(double.IsNaN(points[100].UpperBoundary));
    }

    [Fact]
    public void Entire_LastPartialBatch_DetectedWithThePointsBeforeIt()
    {
        var series = SyntheticSeries.Seasonal(30, 6, 2, 0.3, seed: 12);
        var options = new SrCnnEntireOptions { BatchSize = 12 };

        var all = SrCnnEntireDetector.Detect(series, options);
        var lastWindow = SrCnnEntireDetector.Detect(series.AsSpan(18, 12), options);
        var firstBatch = SrCnnEntireDetector.Detect(series.AsSpan(0, 12), options);

        Assert.Equal(firstBatch, all[..12]);
        Assert.Equal(lastWindow[6..], all[24..]);
    }

    [Fact]
    public void Entire_TooShort_ThrowsNamingTheMinimum()
    {
        var ex = Assert.Throws<DetectorOptionsException>(() => SrCnnEntireDetector.Detect(new double[5], new SrCnnEntireOptions()));

        Assert.Equal(["the series has 5 points, the detector needs at least 12"], ex.Errors);
    }
}
