using Predictor.Core.Configuration;
using Predictor.Core.Telemetry;
using Predictor.Learning.TimeSeries;
using Predictor.Learning.TimeSeries.Streaming;
using Predictor.Testing.Metrics;

namespace Predictor.Learning.Tests.TimeSeries;

public sealed class HostSignalDetectorsTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Write_FanSpeedDrops_ChangePointEvidenceWithLevels()
    {
        var detectors = new HostSignalDetectors(new HostSignalDetectorOptions());
        var noise = SyntheticSeries.Noise(200, 0, 0.4, seed: 5);
        for (int i = 0; i < 200; i++)
        {
            double rpm = (i < 160 ? 8200 : 5100) + noise[i];
            detectors.Write(new TelemetrySample("h1", SignalNames.FanSpeed, "fan2", Start.AddMinutes(i), rpm));
        }

        var evidence = detectors.GetEvidence("h1", Start.AddMinutes(200));

        var change = Assert.Single(evidence, e => e.Description.StartsWith("change point", StringComparison.Ordinal));
        Assert.Equal("change point in fan_rpm on fan2 at 12:40, level 8200 → 5100 rpm", change.Description);
        Assert.Equal(SignalNames.FanSpeed, change.Signal);
        Assert.Equal("fan2", change.Component);
        Assert.Equal(5100, change.Value, 1.0);
    }

    [Fact]
    public void Write_EccStorm_SpikeOnCounterIncrease()
    {
        var detectors = new HostSignalDetectors(new HostSignalDetectorOptions());
        double total = 1000;
        var random = new Random(3);
        for (int i = 0; i < 150; i++)
        {
            total += i == 120 ? 340 : random.Next(0, 3);
            detectors.Write(new TelemetrySample("h1", SignalNames.MemoryCorrectableTotal, "DIMM_A1", Start.AddMinutes(i), total));
        }

        var evidence = detectors.GetEvidence("h1", Start.AddMinutes(150));

        var spike = Assert.Single(evidence, e => e.Description.StartsWith("spike", StringComparison.Ordinal));
        Assert.StartsWith("spike in mem_ce_total on DIMM_A1 at 12:00: +340 errors in one sample against a typical ", spike.Description, StringComparison.Ordinal);
        Assert.Equal(340, spike.Value);
    }

    [Fact]
    public void Write_SamplesDenserThanTheMinimumInterval_ScoresTheFirstPerIntervalAndCountersSpanIt()
    {
        var detectors = new HostSignalDetectors(new HostSignalDetectorOptions());
        double total = 1000;
        var random = new Random(3);
        // every 10 s for 150 minutes: the storm (+340) lands between two scored samples and is still seen as one increase
        for (int i = 0; i < 150 * 6; i++)
        {
            total += i == 120 * 6 + 3 ? 340 : (i % 6 == 0 ? random.Next(0, 3) : 0);
            detectors.Write(new TelemetrySample("h1", SignalNames.MemoryCorrectableTotal, "DIMM_A1", Start.AddSeconds(10 * i), total));
        }

        var spike = Assert.Single(detectors.GetEvidence("h1", Start.AddMinutes(150)), e => e.Description.StartsWith("spike", StringComparison.Ordinal));
        // scored at 12:01:00, the first sample of the minute after the storm: its increase is the storm plus that minute's 0–2
        Assert.StartsWith("spike in mem_ce_total on DIMM_A1 at 12:01: +34", spike.Description, StringComparison.Ordinal);
        Assert.InRange(spike.Value, 340, 342);

        // with the interval off, the 5 samples within each minute are scored too (as zero increases)
        var every = new HostSignalDetectors(new HostSignalDetectorOptions { MinInterval = TimeSpan.Zero });
        var denser = new HostSignalDetectors(new HostSignalDetectorOptions());
        for (int i = 0; i < 60; i++)
        {
            every.Write(new TelemetrySample("h1", SignalNames.FanSpeed, "fan1", Start.AddSeconds(10 * i), 8000 + i));
            denser.Write(new TelemetrySample("h1", SignalNames.FanSpeed, "fan1", Start.AddSeconds(10 * i), 8000 + i));
        }

        var all = new Dictionary<string, double>();
        var sparse = new Dictionary<string, double>();
        every.AddFeatures("h1", Start.AddMinutes(10), all);
        denser.AddFeatures("h1", Start.AddMinutes(10), sparse);
        Assert.NotEqual(all["fan_rpm.spike_score"], sparse["fan_rpm.spike_score"]);
    }

    [Fact]
    public void Options_NegativeMinInterval_IsAnError() =>
        Assert.Equal(
            ["Detectors:MinInterval: out of range (got -00:00:01; expected at least 00:00:00)."],
            OptionsGuard.Errors(new HostSignalDetectorOptions { MinInterval = TimeSpan.FromSeconds(-1) }));

    [Fact]
    public void AddFeatures_TwoFans_MaximumOverComponentsAndAlertCounts()
    {
        var detectors = new HostSignalDetectors(new HostSignalDetectorOptions { SpikeHistoryLength = 10 });
        for (int i = 0; i < 30; i++)
        {
            detectors.Write(new TelemetrySample("h1", SignalNames.FanSpeed, "fan1", Start.AddMinutes(i), 8000 + (i % 3)));
            detectors.Write(new TelemetrySample("h1", SignalNames.FanSpeed, "fan2", Start.AddMinutes(i), i == 29 ? 20000 : 8000 + (i % 3)));
        }

        var features = new Dictionary<string, double>();
        detectors.AddFeatures("h1", Start.AddMinutes(30), features);

        Assert.Equal(1 - 1e-8, features["fan_rpm.spike_score"], 1e-12);
        Assert.Equal(1, features["fan_rpm.spike_alerts"]);
        Assert.True(features.ContainsKey("fan_rpm.cp_martingale"));
        Assert.Equal(2, detectors.SeriesCount);
    }

    [Fact]
    public void Write_TemperatureLeavesItsDailyShape_NoveltyFeatureAndEvidence()
    {
        var on = new HostSignalDetectors(new HostSignalDetectorOptions { NoveltyHistory = 600, MinInterval = TimeSpan.Zero });
        var off = new HostSignalDetectors(new HostSignalDetectorOptions { NoveltyHistory = 0, MinInterval = TimeSpan.Zero });
        for (int i = 0; i < 900; i++)
        {
            double celsius = 60 + (5 * Math.Sin(2 * Math.PI * i / 60)) + (i >= 850 ? 25 : 0);
            on.Write(new TelemetrySample("h1", SignalNames.CpuTemperature, null, Start.AddMinutes(i), celsius));
            off.Write(new TelemetrySample("h1", SignalNames.CpuTemperature, null, Start.AddMinutes(i), celsius));
        }

        var features = new Dictionary<string, double>();
        on.AddFeatures("h1", Start.AddMinutes(900), features);
        var without = new Dictionary<string, double>();
        off.AddFeatures("h1", Start.AddMinutes(900), without);

        Assert.True(features["cpu_temp_c.novelty_alerts"] >= 1, string.Join(", ", features));
        Assert.Contains(on.GetEvidence("h1", Start.AddMinutes(900)), e => e.Description.StartsWith("unseen behaviour in cpu_temp_c at 00:10: value ", StringComparison.Ordinal));
        Assert.False(without.ContainsKey("cpu_temp_c.novelty_alerts"));
        Assert.False(without.ContainsKey("cpu_temp_c.novelty_score"));
    }

    [Fact]
    public void GetEvidence_OlderThanRetention_IsDropped()
    {
        var detectors = new HostSignalDetectors(new HostSignalDetectorOptions { SpikeHistoryLength = 10, EvidenceRetention = TimeSpan.FromHours(1) });
        for (int i = 0; i < 20; i++)
        {
            detectors.Write(new TelemetrySample("h1", SignalNames.CpuTemperature, null, Start.AddMinutes(i), i == 15 ? 95 : 60 + (i % 2)));
        }

        Assert.Single(detectors.GetEvidence("h1", Start.AddMinutes(30)));
        Assert.Empty(detectors.GetEvidence("h1", Start.AddMinutes(16 + 61)));
        Assert.Empty(detectors.GetEvidence("unknown", Start));
    }

    [Fact]
    public void Write_Spike_CountsAlertMetricWithKind()
    {
        using var factory = new TestMeterFactory();
        var detectors = new HostSignalDetectors(new HostSignalDetectorOptions { SpikeHistoryLength = 10 }, factory);
        using var alerts = factory.Collect<long>("Predictor.TimeSeries", "predictor.timeseries.alerts");

        for (int i = 0; i < 20; i++)
        {
            detectors.Write(new TelemetrySample("h1", SignalNames.CpuTemperature, null, Start.AddMinutes(i), i == 15 ? 95 : 60 + (i % 2)));
        }

        Assert.Equal([(1L, "spike")], alerts.GetMeasurementSnapshot().Select(m => (m.Value, m.Tags["kind"] as string)));
        Assert.Equal(1, detectors.AlertCount);
    }

    [Fact]
    public void Options_Invalid_ReportsEveryError()
    {
        var ex = Assert.Throws<DetectorOptionsException>(() => new HostSignalDetectors(new HostSignalDetectorOptions
        {
            SpikeConfidence = 0,
            EvidenceRetention = TimeSpan.Zero,
        }));

        Assert.Equal(
            [
                "Detectors:SpikeConfidence: out of range (got 0; expected more than 0 and less than 100).",
                "Detectors:EvidenceRetention: out of range (got 00:00:00; expected more than 00:00:00).",
            ],
            ex.Errors);
    }

    [Fact]
    public void Write_SteadyState_AllocatesNothing()
    {
        var detectors = new HostSignalDetectors(new HostSignalDetectorOptions());
        var samples = Enumerable.Range(0, 4000).Select(i => new TelemetrySample("h1", SignalNames.FanSpeed, "fan1", Start.AddMinutes(i), 8000 + (i % 7))).ToArray();
        for (int i = 0; i < 1000; i++)
        {
            detectors.Write(samples[i]);
        }

        // a per-write allocation shows in every round; a one-off in the process (another test growing a shared cache on
        // this thread pool, the runtime's tiering) in one round at most, so the best of three rounds must be zero
        var rounds = new List<long>();
        for (var round = 0; round < 3 && (rounds.Count == 0 || rounds[^1] != 0); round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 1000 * (round + 1); i < 1000 * (round + 2); i++)
            {
                detectors.Write(samples[i]);
            }

            rounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(rounds[^1] == 0, $"bytes allocated per round of 1000 writes: {string.Join(", ", rounds)}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(60)]
    public void WritePoint_SignalsJoinAndOrderChanges_SameAsSampleBySample(int minIntervalSeconds)
    {
        var options = new HostSignalDetectorOptions { SpikeHistoryLength = 20, MinInterval = TimeSpan.FromSeconds(minIntervalSeconds) };
        var byPoint = new HostSignalDetectors(options);
        var bySample = new HostSignalDetectors(options);
        var noise = SyntheticSeries.Noise(600, 0, 0.5, seed: 11);
        var readings = new List<SignalReading>();
        for (int i = 0; i < 600; i++)
        {
            var t = Start.AddSeconds(15 * i);
            readings.Clear();
            readings.Add(new SignalReading(SignalNames.CpuTemperature, null, 60 + noise[i] + (i == 400 ? 40 : 0)));
            readings.Add(new SignalReading(SignalNames.FanSpeed, "fan1", (i < 300 ? 8200 : 6100) + noise[i]));
            if (i > 100)
            {
                // joins mid-minute, after the host's other series were scored
                readings.Add(new SignalReading(SignalNames.MemoryCorrectableTotal, new string("DIMM_A1".AsSpan()), i + (i == 500 ? 300 : 0)));
            }

            if (i % 5 == 0)
            {
                readings.Reverse();
            }

            byPoint.Write("h1", t, readings.ToArray());
            foreach (var reading in readings)
            {
                bySample.Write(new TelemetrySample("h1", reading.Signal, reading.Component, t, reading.Value));
            }
        }

        var now = Start.AddSeconds(15 * 600);
        var expected = new Dictionary<string, double>();
        var actual = new Dictionary<string, double>();
        bySample.AddFeatures("h1", now, expected);
        byPoint.AddFeatures("h1", now, actual);
        Assert.Equal(expected, actual);
        Assert.Equal(bySample.GetEvidence("h1", now).Select(e => e.Description), byPoint.GetEvidence("h1", now).Select(e => e.Description));
        Assert.Equal((3, bySample.AlertCount), (byPoint.SeriesCount, byPoint.AlertCount));
        Assert.True(byPoint.AlertCount > 0);
    }
}
