using Predictor.Core.Risk;
using Predictor.Core.Telemetry;
using Predictor.Daemon.Features;
using Predictor.Learning.TimeSeries.Streaming;
using Predictor.Telemetry.Windows;

namespace Predictor.Daemon.Tests.Features;

public sealed class HostFeatureComputerTests
{
    private static readonly DateTimeOffset s_start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    public void Features_HostReportingEverySignal_EveryFeatureGivenIsNamedAndDetectorFeaturesJoinTheWindows(int noveltyHistory)
    {
        var detectors = new HostSignalDetectors(new HostSignalDetectorOptions { NoveltyHistory = noveltyHistory });
        var source = new HostFeatureComputer(new HostWindowStore(), detectors);
        for (var m = 0; m <= 300; m += 5)
        {
            var t = s_start.AddMinutes(m);
            foreach (var signal in SignalNames.All)
            {
                source.Sink.Write(new TelemetrySample("h1", signal, signal.StartsWith("smart", StringComparison.Ordinal) ? "sda" : null, t, 10 + (m % 15) + (signal.EndsWith("_total", StringComparison.Ordinal) ? m : 0)));
            }
        }

        var features = source.Compute("h1", s_start.AddMinutes(300));

        Assert.Empty(features.Values.Keys.Except(source.Names));
        Assert.Equal(source.Names, HostFeatureComputer.NamesFor(detectors));
        Assert.Equal(FeatureNames.All, source.Names.Take(FeatureNames.All.Count));
        Assert.Equal(FeatureNames.All.Count + (SignalNames.All.Count * (noveltyHistory > 0 ? 6 : 4)), source.Names.Count);
        Assert.Contains("mem_ce_total.cp_martingale", features.Values.Keys);
        Assert.Contains(FeatureNames.MemoryCorrectableGrowth6h, features.Values.Keys);
        Assert.Equal(noveltyHistory > 0, source.Names.Contains("fan_rpm.novelty_score"));
    }

    [Fact]
    public void Features_NoDetectors_WindowFeaturesOnly()
    {
        var store = new HostWindowStore();
        var source = new HostFeatureComputer(store, null);
        source.Sink.Write(new TelemetrySample("h1", SignalNames.FanSpeed, "1", s_start, 8000));

        Assert.Same(store, source.Sink);
        Assert.Equal(FeatureNames.All, source.Names);
        Assert.Equal(store.Features("h1", s_start).Values, source.Compute("h1", s_start).Values);
    }
}
