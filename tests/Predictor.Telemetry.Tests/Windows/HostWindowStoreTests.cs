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
    public void Features_StaticCountBesideAGrowingOne_GrowthAndStillnessTellThemApart()
    {
        var store = new HostWindowStore();
        for (var m = 0; m <= 12 * 60; m += 5)
        {
            var t = s_start.AddMinutes(m);
            store.Write(new TelemetrySample("still", SignalNames.SmartReallocatedSectors, "sda", t, 72));
            store.Write(new TelemetrySample("still", SignalNames.SmartReallocatedSectors, "sdb", t, 0));
            // one more sector every 30 minutes
            store.Write(new TelemetrySample("growing", SignalNames.SmartReallocatedSectors, "sda", t, 48 + (m / 30)));
            store.Write(new TelemetrySample("growing", SignalNames.SmartReallocatedSectors, "sdb", t, 0));
        }

        var now = s_start.AddHours(12);
        var still = store.Features("still", now);
        var growing = store.Features("growing", now);

        Assert.Equal((72.0, 72.0), (still.Values[FeatureNames.SmartReallocatedMax], growing.Values[FeatureNames.SmartReallocatedMax]));
        Assert.Equal((0.0, 2.0, 12.0), (still.Values[FeatureNames.SmartReallocatedDelta1h], growing.Values[FeatureNames.SmartReallocatedDelta1h], growing.Values[FeatureNames.SmartReallocatedDelta6h]));
        Assert.Equal((0.0, 12.0), (still.Values[FeatureNames.SmartReallocatedRisingHours24h], growing.Values[FeatureNames.SmartReallocatedRisingHours24h]));
        // watched for 12 hours, never seen to change; the growing disk changed at the last point
        Assert.Equal((12.0, 0.0), (still.Values[FeatureNames.SmartReallocatedUnchangedHours], growing.Values[FeatureNames.SmartReallocatedUnchangedHours]));
        Assert.Equal((12.0, 12.0), (still.Values[FeatureNames.HostObservedHours], growing.Values[FeatureNames.HostObservedHours]));
        // (12 + 1) / (12 + 1): growing, but not faster than six hours before
        Assert.Equal((1.0, 1.0), (still.Values[FeatureNames.SmartReallocatedGrowth6h], growing.Values[FeatureNames.SmartReallocatedGrowth6h]));
    }

    [Fact]
    public void Features_BurstBesideAStorm_TheStormRisesEveryHourTheBurstInOne()
    {
        var store = new HostWindowStore();
        double storm = 0;
        for (var m = 5; m <= 12 * 60; m += 5)
        {
            var t = s_start.AddMinutes(m);
            // 600 errors from 11:00 to 11:30, nothing before or after
            store.Write(new TelemetrySample("burst", SignalNames.MemoryCorrectableTotal, "A1", t, Math.Clamp((m - 660) * 20, 0, 600)));
            // a storm whose rate doubles every hour, from one error an hour
            storm += Math.Pow(2, m / 60.0) / 12;
            store.Write(new TelemetrySample("storm", SignalNames.MemoryCorrectableTotal, "A1", t, Math.Floor(storm)));
        }

        var now = s_start.AddHours(12);
        var burst = store.Features("burst", now);
        var rising = store.Features("storm", now);

        Assert.Equal((1.0, 12.0), (burst.Values[FeatureNames.MemoryCorrectableRisingHours24h], rising.Values[FeatureNames.MemoryCorrectableRisingHours24h]));
        Assert.Equal((0.5, 1.0), (burst.Values[FeatureNames.MemoryCorrectableRisingShare1h], rising.Values[FeatureNames.MemoryCorrectableRisingShare1h]));
        Assert.Equal(0.5, burst.Values[FeatureNames.MemoryCorrectableUnchangedHours]);
        Assert.Equal(600 / 6.0, burst.Values[FeatureNames.MemoryCorrectableRate6h]);
        Assert.InRange(rising.Values[FeatureNames.MemoryCorrectableGrowth6h], 40, 70);
        // doubling every hour: the last hour holds about half of the last six hours' errors
        Assert.InRange(rising.Values[FeatureNames.MemoryCorrectableShare1hOf6h], 0.45, 0.55);
    }

    [Fact]
    public void Features_BurstBesideALeakingDimm_JudgedOnTheDimmThatCountedMost()
    {
        var store = new HostWindowStore();
        for (var m = 5; m <= 12 * 60; m += 5)
        {
            var t = s_start.AddMinutes(m);
            // 600 errors on A1 from 11:00 to 11:30; B1 leaks one error every 20 minutes all along
            store.Write(new TelemetrySample("h1", SignalNames.MemoryCorrectableTotal, "A1", t, Math.Clamp((m - 660) * 20, 0, 600)));
            store.Write(new TelemetrySample("h1", SignalNames.MemoryCorrectableTotal, "B1", t, m / 20));
        }

        var features = store.Features("h1", s_start.AddHours(12));

        Assert.Equal(1, features.Values[FeatureNames.MemoryCorrectableRisingHours24h]);
        Assert.Equal(0.5, features.Values[FeatureNames.MemoryCorrectableUnchangedHours]);
        Assert.Equal(601, features.Values[FeatureNames.MemoryCorrectableGrowth6h]);
        Assert.Equal(0.5, features.Values[FeatureNames.MemoryCorrectableRisingShare1h]);
        Assert.Equal(1, features.Values[FeatureNames.MemoryCorrectableShare1hOf6h]);
    }

    [Fact]
    public void Features_StaticTimeoutsBesideGrowingSectors_ErrorsUnchangedSinceTheLastChangeOnAnyDisk()
    {
        var store = new HostWindowStore();
        for (var m = 0; m <= 12 * 60; m += 5)
        {
            var t = s_start.AddMinutes(m);
            store.Write(new TelemetrySample("still", SignalNames.SmartCommandTimeout, "sda", t, 13));
            store.Write(new TelemetrySample("still", SignalNames.SmartReallocatedSectors, "sda", t, 0));
            store.Write(new TelemetrySample("growing", SignalNames.SmartCommandTimeout, "sda", t, 13));
            store.Write(new TelemetrySample("growing", SignalNames.SmartReallocatedSectors, "sdb", t, m < 600 ? 20 : 21));
        }

        var now = s_start.AddHours(12);

        Assert.Equal(12, store.Features("still", now).Values[FeatureNames.SmartErrorsUnchangedHours]);
        Assert.Equal(2, store.Features("growing", now).Values[FeatureNames.SmartErrorsUnchangedHours]);
    }

    [Fact]
    public void Features_OneFanSlowBesideAHotAisle_ShareOfTheFastestAndCpuAboveInlet()
    {
        var store = new HostWindowStore();
        var t = s_start.AddMinutes(5);
        store.Write(new TelemetrySample("h1", SignalNames.FanSpeed, "1", t, 8100));
        store.Write(new TelemetrySample("h1", SignalNames.FanSpeed, "2", t, 8000));
        store.Write(new TelemetrySample("h1", SignalNames.FanSpeed, "3", t, 2025));
        store.Write(new TelemetrySample("h1", SignalNames.CpuTemperature, null, t, 81));
        store.Write(new TelemetrySample("h1", SignalNames.InletTemperature, null, t, 27.5));

        var features = store.Features("h1", t);

        Assert.Equal(0.25, features.Values[FeatureNames.FanSpeedMinShare]);
        Assert.Equal(53.5, features.Values[FeatureNames.CpuTemperatureOverInlet]);
        Assert.Equal(0, features.Values[FeatureNames.HostObservedHours]);
    }

    [Fact]
    public void Features_WatchedForMoreThanAWeek_HoursCappedAtAWeek()
    {
        var store = new HostWindowStore();
        for (var h = 0; h <= 200; h++)
        {
            store.Write(new TelemetrySample("h1", SignalNames.SmartPendingSectors, "sda", s_start.AddHours(h), 3));
        }

        var features = store.Features("h1", s_start.AddHours(200));

        Assert.Equal(FeatureNames.MaxObservedHours, features.Values[FeatureNames.HostObservedHours]);
        Assert.Equal(FeatureNames.MaxObservedHours, features.Values[FeatureNames.SmartPendingUnchangedHours]);
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

    [Fact]
    public async Task Write_ConcurrentWritersAndReader_EverySampleKept()
    {
        var store = new HostWindowStore();
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                _ = store.Features("h1", s_start.AddDays(1));
                reads++;
            }

            return reads;
        });

        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var m = 1; m <= 4800; m++)
            {
                store.Write(new TelemetrySample("h1", SignalNames.FanSpeed, "fan" + w, s_start.AddSeconds(m), 1000 * w + m));
                store.Write(new TelemetrySample("h1", SignalNames.NicErrorsTotal, "eth" + w, s_start.AddSeconds(m), m));
            }
        })));
        await stop.CancelAsync();
        await reader;

        // 4800 s is on a 5-minute boundary, so the last hour is whole fine buckets
        var features = store.Features("h1", s_start.AddSeconds(4800));
        Assert.Equal(0, store.OutOfOrder);
        Assert.Equal(s_start.AddSeconds(4800), features.LastSeen);
        Assert.Equal(4800, features.Values[FeatureNames.FanSpeedMin]);
        // four NICs, each counting one per second: 3600 per NIC in the last hour
        Assert.Equal(4 * 3600, features.Values[FeatureNames.NicErrorsRate1h]);
    }

    [Fact]
    public void WritePoint_FieldOrderChangesAndSignalsJoin_SameFeaturesAsSampleBySample()
    {
        var byPoint = new HostWindowStore();
        var bySample = new HostWindowStore();
        var readings = new List<SignalReading>();
        for (var i = 1; i <= 3 * 180; i++)
        {
            var t = s_start.AddSeconds(20 * i);
            readings.Clear();
            readings.Add(new SignalReading(SignalNames.CpuTemperature, null, 50 + (i % 7)));
            readings.Add(new SignalReading(SignalNames.FanSpeed, "fan1", 8000 - i));
            // the same component under a string that is equal but not the same instance: the order hint must fall back to the key
            readings.Add(new SignalReading(SignalNames.FanSpeed, new string("fan2".AsSpan()), 7000 + (i % 11)));
            readings.Add(new SignalReading(SignalNames.MemoryCorrectableTotal, "A1", i / 3 + (i > 400 ? -100 : 0)));
            if (i > 90)
            {
                readings.Add(new SignalReading(SignalNames.SmartReallocatedSectors, "sda", i / 60));
            }

            if (i % 7 == 0)
            {
                readings.Reverse();
            }

            if (i % 50 == 0)
            {
                // a repeated point: every reading is out of order
                t = t.AddSeconds(-20);
            }

            byPoint.Write("h1", t, readings.ToArray());
            foreach (var reading in readings)
            {
                bySample.Write(new TelemetrySample("h1", reading.Signal, reading.Component, t, reading.Value));
            }
        }

        Assert.Equal(bySample.OutOfOrder, byPoint.OutOfOrder);
        Assert.True(byPoint.OutOfOrder > 0);
        foreach (var now in new[] { s_start.AddMinutes(59), s_start.AddHours(3), s_start.AddHours(3).AddMinutes(7) })
        {
            Assert.Equal(bySample.Features("h1", now).Values, byPoint.Features("h1", now).Values);
        }
    }
}
