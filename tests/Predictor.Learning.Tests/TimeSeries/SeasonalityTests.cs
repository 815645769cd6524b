using Predictor.Learning.TimeSeries.Seasonality;

namespace Predictor.Learning.Tests.TimeSeries;

public sealed class SeasonalityTests
{
    [Theory]
    [InlineData(24)]
    [InlineData(7)]
    [InlineData(50)]
    public void DetectSeasonality_NoisySine_ReturnsPeriod(int period)
    {
        var series = SyntheticSeries.Seasonal(period * 20, period, 3, 1, seed: period);

        Assert.Equal(period, SeasonalityDetector.DetectSeasonality(series));
    }

    [Fact]
    public void DetectSeasonality_SineOnTrend_ReturnsPeriod()
    {
        var series = SyntheticSeries.Seasonal(480, 24, 3, 0.5, seed: 1).Select((v, i) => v + (0.2 * i)).ToArray();

        Assert.Equal(24, SeasonalityDetector.DetectSeasonality(series));
    }

    [Fact]
    public void DetectSeasonality_WhiteNoise_ReturnsMinusOne()
    {
        Assert.Equal(-1, SeasonalityDetector.DetectSeasonality(SyntheticSeries.Noise(500, 0, 1, seed: 8)));
    }

    [Fact]
    public void DetectSeasonality_PeriodBeyondWindow_ReturnsMinusOne()
    {
        var series = SyntheticSeries.Seasonal(480, 48, 3, 0.2, seed: 1);

        Assert.Equal(-1, SeasonalityDetector.DetectSeasonality(series, seasonalityWindowSize: 20));
    }
}
