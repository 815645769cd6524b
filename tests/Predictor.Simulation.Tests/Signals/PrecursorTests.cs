using Predictor.Core.Telemetry;
using Predictor.Testing.Telemetry;

namespace Predictor.Simulation.Tests.Signals;

public sealed class PrecursorTests
{
    private static readonly SimulatedFleet s_failing = Fleets.Failing();

    private static readonly SimulatedFleet s_healthy = SimulatedFleet.Create(new SimulationOptions
    {
        Hosts = 200,
        Seed = 9,
        Duration = TimeSpan.FromDays(3),
        FailuresPerHostYear = 0,
    });

    private static IEnumerable<FailureLabel> Warned(string cause) =>
        s_failing.Failures.Where(f => f.Cause == cause && f.PrecursorStart is not null);

    [Fact]
    public void FailingDisk_ReallocatedAndPendingSectors_RiseOverLastDays()
    {
        var disks = Warned("disk-media").ToList();
        Assert.True(disks.Count >= 10, $"only {disks.Count} warned disk failures");
        var series = Fleets.SeriesOf(s_failing, disks.Select(f => f.Host), SignalNames.SmartReallocatedSectors, SignalNames.SmartPendingSectors);
        foreach (var f in disks)
        {
            var disk = Fleets.ComponentName(f);
            var reallocated = series[(f.Host, SignalNames.SmartReallocatedSectors, disk)];
            var pending = series[(f.Host, SignalNames.SmartPendingSectors, disk)];
            Assert.True(IsNonDecreasing(reallocated), $"{f.Host} {disk} reallocated count fell");
            var end = reallocated[^1];
            var dayBefore = reallocated.LastOrDefault(s => s.Time <= end.Time - TimeSpan.FromDays(1));
            Assert.True(end.Value >= 15, $"{f.Host} {disk} ends with only {end.Value} reallocated sectors");
            Assert.True(dayBefore == default || end.Value > dayBefore.Value, $"{f.Host} {disk} did not rise over its last day");
            Assert.True(pending[^1].Value > pending[0].Value || pending[0].Value > 0, $"{f.Host} {disk} shows no pending sectors");
        }
    }

    [Fact]
    public void HealthyFleet_ReallocatedSectors_NeverRiseButSomeDisksCarryStaticCounts()
    {
        var byDisk = new Dictionary<(string, string?), (double First, double Max)>();
        var sink = new CollectingSink(s => s.Signal == SignalNames.SmartReallocatedSectors);
        s_healthy.EmitTelemetry(s_healthy.Options.Start - TimeSpan.FromMinutes(5), s_healthy.Options.End, sink);
        foreach (var s in sink.Samples)
        {
            var key = (s.Host, s.Component);
            byDisk[key] = byDisk.TryGetValue(key, out var v) ? (v.First, Math.Max(v.Max, s.Value)) : (s.Value, s.Value);
        }

        Assert.All(byDisk, d => Assert.Equal(d.Value.First, d.Value.Max));
        var nonZero = byDisk.Count(d => d.Value.First > 0) / (double)byDisk.Count;
        Assert.InRange(nonZero, 0.005, 0.05);
    }

    [Fact]
    public void FailingDimm_CorrectableStorm_PrecedesUncorrectableError()
    {
        // The first UE comes at most three hours before the failure; later failures show it after the start.
        var dimms = Warned("memory-uncorrectable").Where(f => f.FailsAt > s_failing.Options.Start + TimeSpan.FromHours(4)).ToList();
        Assert.True(dimms.Count >= 10, $"only {dimms.Count} warned DIMM failures");
        var series = Fleets.SeriesOf(s_failing, dimms.Select(f => f.Host), SignalNames.MemoryCorrectableTotal, SignalNames.MemoryUncorrectableTotal);
        foreach (var f in dimms)
        {
            var ce = series[(f.Host, SignalNames.MemoryCorrectableTotal, Fleets.ComponentName(f))];
            var ue = series[(f.Host, SignalNames.MemoryUncorrectableTotal, "")];
            var firstUe = ue.First(s => s.Value > 0).Time;
            Assert.Equal(0, ue.First().Value);
            Assert.True(IsNonDecreasing(ce), $"{f.Host} CE counter fell");
            var ceAtUe = ce.Single(s => s.Time == firstUe).Value;
            var ceAtPrecursor = ce.LastOrDefault(s => s.Time <= f.PrecursorStart!.Value, ce[0]).Value;
            Assert.True(ceAtUe - ceAtPrecursor >= 20, $"{f.Host}: only {ceAtUe - ceAtPrecursor} CEs before the UE");

            // The rate in the last hour is orders of magnitude above where the storm started.
            var lastHour = ce[^1].Value - ce.Last(s => s.Time <= ce[^1].Time - TimeSpan.FromHours(1)).Value;
            var startRate = s_failing.ModelOf(s_failing.Inventory.Hosts.IndexOf(s_failing.Inventory.GetHost(f.Host))).Failure!.Secondary;
            Assert.True(lastHour >= 100 * startRate, $"{f.Host}: {lastHour} CEs in the last hour vs {startRate:0.0}/h at the start");
        }
    }

    [Fact]
    public void FailingFan_SpeedDropsAndCpuTemperatureRises()
    {
        var failures = Warned("fan-thermal-shutdown").ToList();
        Assert.NotEmpty(failures);
        var series = Fleets.SeriesOf(s_failing, failures.Select(f => f.Host), SignalNames.FanSpeed, SignalNames.CpuTemperature);
        foreach (var f in failures)
        {
            var fans = series.Where(p => p.Key.Host == f.Host && p.Key.Signal == SignalNames.FanSpeed).SelectMany(p => p.Value).OrderBy(s => s.Time).ToList();
            var lastTime = fans[^1].Time;
            var failing = fans.Where(s => s.Component == Fleets.ComponentName(f)).ToList();
            var others = fans.Where(s => s.Time == lastTime && s.Component != Fleets.ComponentName(f)).Min(s => s.Value);
            var cpu = series[(f.Host, SignalNames.CpuTemperature, "")];
            Assert.True(IsNonIncreasingTrend(failing), $"{f.Host} fan speed does not fall");
            Assert.True(failing[^1].Value < 0.3 * others, $"{f.Host} fan at {failing[^1].Value} rpm while the others run at {others}");
            Assert.True(cpu[^1].Value > 85, $"{f.Host} CPU only {cpu[^1].Value} °C before thermal shutdown");
        }
    }

    [Fact]
    public void FailingPsu_ReportsFailureHoursBeforePowerLoss()
    {
        var psus = Warned("psu-power-loss").Where(f => f.FailsAt - f.PrecursorStart!.Value >= TimeSpan.FromHours(1)).ToList();
        Assert.NotEmpty(psus);
        var series = Fleets.SeriesOf(s_failing, psus.Select(f => f.Host), SignalNames.PsuOk);
        foreach (var f in psus)
        {
            var ok = series[(f.Host, SignalNames.PsuOk, Fleets.ComponentName(f))];
            var firstBad = ok.First(s => s.Value == 0).Time;
            Assert.True(f.FailsAt - firstBad >= TimeSpan.FromMinutes(55), $"{f.Host} PSU reported only {f.FailsAt - firstBad} ahead");
            Assert.All(ok.Where(s => s.Time > firstBad), s => Assert.Equal(0, s.Value));
        }
    }

    [Fact]
    public void NoWarningFailures_ShowNothingUnusual()
    {
        var sudden = s_failing.Failures.Where(f => f.PrecursorStart is null).ToList();
        Assert.True(sudden.Count >= 10);
        var series = Fleets.SeriesOf(s_failing, sudden.Select(f => f.Host), SignalNames.SmartReallocatedSectors, SignalNames.PsuOk,
            SignalNames.MemoryUncorrectableTotal, SignalNames.CpuTemperature, SignalNames.FanSpeed);
        List<TelemetrySample> SamplesOf(string host, string signal) =>
            series.Where(p => p.Key.Host == host && p.Key.Signal == signal).SelectMany(p => p.Value).ToList();
        foreach (var f in sudden)
        {
            var smart5 = SamplesOf(f.Host, SignalNames.SmartReallocatedSectors);
            Assert.All(smart5.GroupBy(s => s.Component), disk => Assert.Single(disk.Select(s => s.Value).Distinct()));
            Assert.All(SamplesOf(f.Host, SignalNames.PsuOk), s => Assert.Equal(1, s.Value));
            Assert.All(SamplesOf(f.Host, SignalNames.MemoryUncorrectableTotal), s => Assert.Equal(0, s.Value));
            Assert.All(SamplesOf(f.Host, SignalNames.CpuTemperature), s => Assert.InRange(s.Value, 20, 90));
            var fans = SamplesOf(f.Host, SignalNames.FanSpeed);
            Assert.True(fans.Min(s => s.Value) > 0.5 * fans.Average(s => s.Value), $"{f.Host} fan speed dips");
        }
    }

    [Fact]
    public void PrecursorBeforeStart_CountersAlreadyElevatedAtStart()
    {
        var early = s_failing.Failures.Where(f => f.Cause == "disk-media" && f.PrecursorStart < s_failing.Options.Start - TimeSpan.FromDays(1)).ToList();
        Assert.NotEmpty(early);
        var series = Fleets.SeriesOf(s_failing, early.Select(f => f.Host), SignalNames.SmartReallocatedSectors);
        foreach (var f in early)
        {
            var first = series[(f.Host, SignalNames.SmartReallocatedSectors, Fleets.ComponentName(f))][0];
            Assert.Equal(s_failing.Options.Start, first.Time);
            Assert.True(first.Value > 0, $"{f.Host} shows nothing at start though its precursor began {f.PrecursorStart:o}");
        }
    }

    [Fact]
    public void Counters_AreMonotoneOnEverySeries()
    {
        string[] counters = [SignalNames.MemoryCorrectableTotal, SignalNames.MemoryUncorrectableTotal, SignalNames.MachineChecksTotal,
            SignalNames.NicErrorsTotal, SignalNames.SmartReallocatedSectors, SignalNames.SmartPowerOnHours];
        var last = new Dictionary<(string, string, string?), double>();
        var sink = new CollectingSink(s => counters.Contains(s.Signal));
        s_failing.EmitTelemetry(s_failing.Options.Start - TimeSpan.FromMinutes(5), s_failing.Options.End, sink);

        foreach (var s in sink.Samples)
        {
            var key = (s.Host, s.Signal, s.Component);
            Assert.True(!last.TryGetValue(key, out var previous) || s.Value >= previous, $"{key} fell to {s.Value} at {s.Time:o}");
            last[key] = s.Value;
        }
    }

    [Fact]
    public void HealthyFleet_BenignNoise_CorrectableBurstsAndHotAislesPresent()
    {
        var ce = new Dictionary<(string, string?), List<double>>();
        var inlet = new List<TelemetrySample>();
        var sink = new CollectingSink(s => s.Signal is SignalNames.MemoryCorrectableTotal or SignalNames.InletTemperature);
        s_healthy.EmitTelemetry(s_healthy.Options.Start - TimeSpan.FromMinutes(5), s_healthy.Options.End, sink);
        foreach (var s in sink.Samples)
        {
            if (s.Signal == SignalNames.InletTemperature)
            {
                inlet.Add(s);
                continue;
            }

            var key = (s.Host, s.Component);
            if (!ce.TryGetValue(key, out var list))
            {
                ce[key] = list = [];
            }

            list.Add(s.Value);
        }

        // A burst: at least 30 CEs within one hour on a DIMM of a host that never fails.
        var bursts = ce.Count(d => d.Value.Zip(d.Value.Skip(12)).Any(p => p.Second - p.First >= 30));
        Assert.InRange(bursts, 3, 60);
        var hot = inlet.Where(s => s.Value > 29).Select(s => s.Host).Distinct().Count();
        Assert.True(hot >= 10, $"only {hot} hosts saw a hot-aisle excursion");
        var loads = Fleets.Series(s_healthy, "h0001", SignalNames.CpuLoad);
        var byHour = loads.GroupBy(s => s.Time.Hour).ToDictionary(g => g.Key, g => g.Average(s => s.Value));
        Assert.True(byHour[14] > byHour[2] + 0.05, "load follows the day");
    }

    /// <summary>Hourly means never rise by more than the noise (2%).</summary>
    private static bool IsNonIncreasingTrend(List<TelemetrySample> samples)
    {
        var hourly = samples.Chunk(12).Select(c => c.Average(s => s.Value)).ToList();
        return hourly.Zip(hourly.Skip(1)).All(p => p.Second <= p.First * 1.02) && hourly[^1] < hourly[0];
    }

    private static bool IsNonDecreasing(List<TelemetrySample> samples) => samples.Zip(samples.Skip(1)).All(p => p.Second.Value >= p.First.Value);
}
