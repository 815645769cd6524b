using Predictor.Learning.TimeSeries;
using Predictor.Learning.TimeSeries.Ssa;

namespace Predictor.Learning.Tests.TimeSeries;

public sealed class SsaTests
{
    private static double[] Sine(int length, int period) =>
        Enumerable.Range(0, length).Select(t => Math.Sin(2 * Math.PI * t / period)).ToArray();

    [Fact]
    public void Train_PureSine_SelectsRank2AndForecastsExactly()
    {
        var series = Sine(120, 12);
        var model = SsaModel.Train(series.AsSpan(0, 100), window: 10, rank: null, maxRank: 5);

        // A sinusoid spans a two-dimensional lag space; its recurrence is exact.
        Assert.Equal(2, model.Rank);
        Assert.Equal(series[100], model.NextPrediction, 1e-9);
        for (int t = 100; t < 110; t++)
        {
            model.Consume(series[t]);
        }

        Assert.Equal(series[110], model.NextPrediction, 1e-9);
    }

    [Fact]
    public void Train_TooFewPoints_ThrowsNamingTheRequirement()
    {
        var ex = Assert.Throws<ArgumentException>(() => SsaModel.Train(new double[20], 10, null, 5));

        Assert.StartsWith("SSA needs a window of at least 2 and more than 2·window = 20 training points, got window 10 and 20 points.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forecaster_NoisySine_BoundsContainTruthAndWiden()
    {
        var noise = SyntheticSeries.Noise(200, 0, 0.05, seed: 3);
        var series = Sine(200, 24).Select((v, i) => v + noise[i]).ToArray();
        var forecaster = new SsaForecaster(series.AsSpan(0, 150), new SsaForecasterOptions { WindowSize = 30, TrainSize = 150, Horizon = 10 });

        var forecast = forecaster.Forecast();

        for (int h = 0; h < 10; h++)
        {
            double truth = Math.Sin(2 * Math.PI * (150 + h) / 24);
            Assert.InRange(truth, forecast.Lower[h], forecast.Upper[h]);
            Assert.Equal(truth, forecast.Point[h], 0.1);
        }

        for (int h = 1; h < 10; h++)
        {
            Assert.True(forecast.Upper[h] - forecast.Lower[h] >= forecast.Upper[h - 1] - forecast.Lower[h - 1] - 1e-12);
        }
    }

    [Fact]
    public void SsaSpike_SeasonalSeriesWithSpike_AlertsAtTheSpike()
    {
        var series = SyntheticSeries.Seasonal(400, 12, 5, 0.1, seed: 5);
        series[300] += 4;
        var detector = new SsaSpikeDetector(new SsaSpikeDetectorOptions { SeasonalWindowSize = 24 });

        var alerts = SyntheticSeries.Alerts(SeriesDetection.Run(detector, series));

        Assert.Contains(300, alerts);
        Assert.True(alerts.Length <= 3, $"alerts at {string.Join(",", alerts)}");
    }

    [Fact]
    public void SsaSpike_TrainingWindow_ScoresNothing()
    {
        var scores = SeriesDetection.Run(new SsaSpikeDetector(new SsaSpikeDetectorOptions()), SyntheticSeries.Seasonal(150, 12, 5, 0.1, seed: 5));

        Assert.All(scores.Take(100), s => Assert.Equal(AnomalyScore.None, s));
        Assert.All(scores.Skip(100), s => Assert.False(double.IsNaN(s.PValue)));
    }

    [Fact]
    public void SsaChangePoint_SeasonalPatternTurnsIntoRamp_FirstAlertAtTheChange()
    {
        // The published SSA change-point example's shape: a repeating 0..4 pattern, then a steep ramp.
        var series = Enumerable.Range(0, 60).Select(i => (double)(i % 5)).Concat(Enumerable.Range(1, 10).Select(i => i * 100.0)).ToArray();
        var detector = new SsaChangePointDetector(new SsaChangePointDetectorOptions { ChangeHistoryLength = 8, TrainingWindowSize = 15, SeasonalWindowSize = 6 });

        var alerts = SyntheticSeries.Alerts(SeriesDetection.Run(detector, series));

        // The ramp keeps changing, so the alert repeats once the martingale's mute window has passed.
        Assert.Equal(60, alerts[0]);
    }

    [Fact]
    public void SsaChangePoint_MlNetStreamSample_FreshHistoryAfterTrainingAndAlertWhenItFills()
    {
        // ML.NET's DetectChangePointBySsa(Stream) sample: trained on three seasons of 0..4 (window 6, history 8,
        // confidence 95), then 0..4 and 100..500 streamed; it prints p 0.50 first and the alert at 300 ("delay is expected").
        double[] training = [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4];
        double[] streamed = [0, 1, 2, 3, 4, 100, 200, 300, 400, 500];
        var detector = new SsaChangePointDetector(new SsaChangePointDetectorOptions { Confidence = 95, ChangeHistoryLength = 8, TrainingWindowSize = 15, SeasonalWindowSize = 6 });

        var scores = SeriesDetection.Run(detector, [.. training, .. streamed]);
        var after = scores.Skip(training.Length).ToArray();

        Assert.All(scores.Take(training.Length), s => Assert.Equal(AnomalyScore.None, s));
        Assert.Equal(0.5, after[0].PValue);
        // the first bet fills the window: (0.1 · 0.5^−0.9)^8
        Assert.Equal(Math.Pow(0.1 * Math.Pow(0.5, -0.9), 8), after[0].Martingale, 1e-12);
        Assert.Equal([7], after.Select((s, i) => (s, i)).Where(x => x.s.Alert).Select(x => x.i));
        Assert.True(after[5].Martingale > detector.AlertThreshold, "the martingale passes the threshold at the change; the alert waits for a full history");
    }
}
