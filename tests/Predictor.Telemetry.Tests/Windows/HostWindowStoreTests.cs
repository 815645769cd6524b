using Predictor.Core.Risk;
using Predictor.Core.Telemetry;
using Predictor.Telemetry.Windows;

namespace Predictor.Telemetry.Tests.Windows;

public sealed class HostWindowStoreTests
{
    private static readonly DateTimeOffset s_start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Features_ComponentsCombined_WorstDiskSlowestFanSumOfDimms()
    {
        var store = new HostWindowStore();
        for (var m = 1; m <= 60; m++)
        {
            var t = s_start.AddMinutes(m);
            store.Write(new TelemetrySample("h1", SignalNames.SmartReallocatedSectors, "sda", t, 2));
            store.Write(new TelemetrySample("h1", SignalNames.SmartReallocatedSectors, "sdb", t, 9));
            store.Write(new TelemetrySample("h1", SignalNames.FanSpeed, "1", t, 8000));
            store.Write(new TelemetrySample("h1", SignalNames.FanSpeed, "2", t, 3100));
            store.Write(new TelemetrySample("h1", SignalNames.MemoryCorrectableTotal, "A1", t, m));
            store.Write(new TelemetrySample("h1", SignalNames.MemoryCorrectableTotal, "B1", t, 2 * m));
        }

        var features = store.Features("h1", s_start.AddMinutes(60));

        Assert.Equal(s_start.AddMinutes(60), features.LastSeen);
        Assert.Equal(9, features.Values[FeatureNames.SmartReallocatedMax]);
        Assert.Equal(3100, features.Values[FeatureNames.FanSpeedMin]);
        // 59 increases of 1 and of 2 in the hour (the first point of each series has none)
        Assert.Equal(59 + 118, features.Values[FeatureNames.MemoryCorrectableRate1h]);
    }

    [Fact]
    public void Write_OutOfOrderSample_CountedAndIgnored()
    {
        var store = new HostWindowStore();
        store.Write(new TelemetrySample("h1", SignalNames.CpuTemperature, null, s_start.AddMinutes(2), 60));

        store.Write(new TelemetrySample("h1", SignalNames.CpuTemperature, null, s_start.AddMinutes(1), 99));

        Assert.Equal(1, store.OutOfOrder);
        Assert.Equal(60, store.Features("h1", s_start.AddMinutes(2)).Values[FeatureNames.CpuTemperatureLast]);
    }

    [Fact]
    public void Features_HostSilent_StaleAfterItsLastSample()
    {
        var store = new HostWindowStore();
        store.Write(new TelemetrySample("h1", SignalNames.CpuTemperature, null, s_start, 60));

        var features = store.Features("h1", s_start.AddMinutes(30));
        var never = store.Features("h2", s_start);

        Assert.Equal((false, true), (features.IsStale(TimeSpan.FromMinutes(30)), features.IsStale(TimeSpan.FromMinutes(20))));
        Assert.Equal((null, true), (never.LastSeen, never.IsStale(TimeSpan.FromDays(1))));
    }
}
