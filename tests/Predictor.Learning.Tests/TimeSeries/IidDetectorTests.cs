using Predictor.Learning.TimeSeries;
using Predictor.Learning.TimeSeries.Iid;
using Predictor.Learning.TimeSeries.Scoring;

namespace Predictor.Learning.Tests.TimeSeries;

public sealed class IidDetectorTests
{
    [Fact]
    public void ChangePointThreshold_Confidence95History20Epsilon01_Is2621_44()
    {
        var detector = new IidChangePointDetector(new IidChangePointDetectorOptions());

        // (0.1 · 0.05^−0.9)^20 = 0.1^20 · 20^18 = 2^18 / 100
        Assert.Equal(2621.44, detector.AlertThreshold, 1e-9);
        Assert.Equal(2621.44, MartingaleMath.ChangePointThreshold(95, 20, MartingaleType.Power, 0.1), 1e-9);
    }

    [Fact]
    public void ChangePointThreshold_Mixture_IsWindowOfMixtureBetsAtOneMinusConfidence()
    {
        // exp(20 · (ln(p ln p + 1 − p) − 2 ln(−ln p) − ln p)) at p = 0.05
        Assert.Equal(105826.93783520661, MartingaleMath.ChangePointThreshold(95, 20, MartingaleType.Mixture, 0.1), 1e-6);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.1, 0.1124629160182849)]
    [InlineData(-0.5, -0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.3, 0.9988568234026434)]
    [InlineData(5.99, 1.0)]
    [InlineData(-7.0, -1.0)]
    public void Erf_KnownValues_WithinTwoInTenToTheSeven(double x, double expected)
    {
        Assert.Equal(expected, Erf.Evaluate(x), 2e-7);
        Assert.Equal(Erf.Evaluate(x), Erf.Evaluate(new System.Numerics.Vector<double>(x))[0], 1e-15);
    }

    [Fact]
    public void KernelPValue_EmptyHistory_IsHalf()
    {
        Assert.Equal(0.5, new KernelPValue(4).Next(3f));
    }

    [Fact]
    public void KernelPValue_OnePointHistory_IsNormalTailAtBandwidthSqrt2()
    {
        var kde = new KernelPValue(4);
        kde.Next(1f);

        // n = 1: b = √2, p = ½ − erf(1/√2)/2 = 1 − Φ(1)
        Assert.Equal(0.15865525393145707, kde.Next(2f), 1e-7);
    }

    [Fact]
    public void KernelPValue_TwoPointHistory_UsesPairwiseDistanceBandwidth()
    {
        var kde = new KernelPValue(4);
        kde.Next(1f);
        kde.Next(2f);

        // Σ(hᵢ−hⱼ)² = 1, b = √2·√1/2; p = ½ − (erf(2/b) + erf(1/b))/4
        Assert.Equal(0.011390901595006164, kde.Next(3f), 1e-7);
    }

    [Fact]
    public void KernelPValue_SlidingWindow_RunningSumMatchesExactPairwiseSum()
    {
        var kde = new KernelPValue(3);
        foreach (float v in new[] { 1f, 4f, 2f, 8f, 5f, 7f, 3f })
        {
            kde.Next(v);
        }

        // Window is now {5, 7, 3}: (5−7)² + (5−3)² + (7−3)² = 24
        Assert.Equal(24, kde.ExactSumSquaredDistances(), 1e-9);
        Assert.Equal(24, kde.SumSquaredDistances, 1e-9);
    }

    [Fact]
    public void IidChangePoint_PublishedLevelShiftExample_MatchesReferenceOutputs()
    {
        // The published ML.NET/NimbusML example: eight 5s then 7s, confidence 95, change history 4.
        var detector = new IidChangePointDetector(new IidChangePointDetectorOptions { ChangeHistoryLength = 4 });
        var series = Enumerable.Repeat(5.0, 8).Concat(Enumerable.Repeat(7.0, 8)).ToArray();
        var scores = SeriesDetection.Run(detector, series);

        Assert.All(scores.Take(8), s => Assert.Equal(0.5, s.PValue));
        Assert.All(scores.Take(8), s => Assert.Equal(0.001213, s.Martingale, 1e-6));
        Assert.Equal(1e-8, scores[8].PValue, 1e-12);
        Assert.Equal(10298.666376, scores[8].Martingale, 1e-3);
        Assert.Equal(0.1328455, scores[9].PValue, 1e-6);
        Assert.Equal(33950.164799, scores[9].Martingale, 1e-2);
        Assert.Equal([8], SyntheticSeries.Alerts(scores));
    }

    [Fact]
    public void IidChangePoint_FirstBetFillsWindow_MartingaleIsBetToTheWindowLength()
    {
        var detector = new IidChangePointDetector(new IidChangePointDetectorOptions { ChangeHistoryLength = 2 });

        var first = detector.Update(3);
        var second = detector.Update(3);

        // p = ½ both times (empty history, then a zero distance): M = (0.1 · 0.5^−0.9)²
        Assert.Equal(0.034822022531844965, first.Martingale, 1e-12);
        Assert.Equal(0.034822022531844965, second.Martingale, 1e-12);
        Assert.False(first.Alert);
    }

    [Fact]
    public void IidSpike_SpikeFillsHistory_AlertsWithMinimumPValue()
    {
        var detector = new IidSpikeDetector(new IidSpikeDetectorOptions { PvalueHistoryLength = 5 });
        var scores = SeriesDetection.Run(detector, [0, 0, 0, 0, 100]);

        Assert.Equal(1e-8, scores[4].PValue, 1e-12);
        Assert.True(scores[4].Alert);
        Assert.Equal(1 - 1e-8, scores[4].Score, 1e-12);
    }

    [Fact]
    public void IidSpike_HistoryNotFull_NeverAlerts()
    {
        var detector = new IidSpikeDetector(new IidSpikeDetectorOptions { PvalueHistoryLength = 6 });
        var scores = SeriesDetection.Run(detector, [0, 0, 0, 0, 100]);

        Assert.Empty(SyntheticSeries.Alerts(scores));
    }

    [Fact]
    public void IidSpike_NoiseWithTwoSpikes_AlertsExactlyAtTheSpikes()
    {
        var series = SyntheticSeries.Noise(400, 50, 1, seed: 7);
        series[200] = 65;
        series[300] = 35;
        var scores = SeriesDetection.Run(new IidSpikeDetector(new IidSpikeDetectorOptions()), series);

        Assert.Equal([200, 300], SyntheticSeries.Alerts(scores));
    }

    [Fact]
    public void IidSpike_PositiveSide_IgnoresDownwardSpike()
    {
        var series = SyntheticSeries.Noise(400, 50, 1, seed: 7);
        series[200] = 65;
        series[300] = 35;
        var scores = SeriesDetection.Run(new IidSpikeDetector(new IidSpikeDetectorOptions { Side = AnomalySide.Positive }), series);

        Assert.Equal([200], SyntheticSeries.Alerts(scores));
    }

    [Fact]
    public void IidChangePoint_LevelShiftWithHistory8_AlertsOnlyAtTheShiftAfterWarmUp()
    {
        var series = SyntheticSeries.Noise(300, 0, 0.2, seed: 11).Select((v, i) => i < 150 ? v : v + 10).ToArray();
        var detector = new IidChangePointDetector(new IidChangePointDetectorOptions { ChangeHistoryLength = 8 });
        var alerts = SyntheticSeries.Alerts(SeriesDetection.Run(detector, series));

        // Alerts during the first two windows are warm-up (the first bet fills the whole martingale window).
        Assert.Equal([150], alerts.Where(a => a >= 16).ToArray());
    }

    [Fact]
    public void IidChangePoint_TrendChangeWithDefaults_AlertsOnceWithin20Points()
    {
        var series = SyntheticSeries.Noise(300, 0, 0.2, seed: 11).Select((v, i) => i < 150 ? v : v + (0.3 * (i - 150))).ToArray();
        var alerts = SyntheticSeries.Alerts(SeriesDetection.Run(new IidChangePointDetector(new IidChangePointDetectorOptions()), series));

        Assert.Single(alerts, a => a >= 150 && a < 170);
        Assert.DoesNotContain(alerts, a => a < 150);
    }

    [Fact]
    public void Options_SeveralInvalid_ReportsEveryError()
    {
        var ex = Assert.Throws<DetectorOptionsException>(() => new IidChangePointDetector(new IidChangePointDetectorOptions
        {
            Confidence = 100,
            ChangeHistoryLength = 0,
            PowerMartingaleEpsilon = 1.5,
        }));

        Assert.Equal(
            ["Confidence must be in (0, 100), got 100", "ChangeHistoryLength must be at least 1, got 0", "PowerMartingaleEpsilon must be in (0, 1), got 1.5"],
            ex.Errors);
    }
}
