using Predictor.Core.Telemetry;
using Predictor.Simulation.Failures;
using Predictor.Simulation.Randomness;

namespace Predictor.Simulation.Signals;

/// <summary>
/// Turns the fleet model into samples. Every value is a function of (seed, host, grid step) only: noise
/// comes from <see cref="SimHash"/>, counters are closed-form functions of time, so any chunking of a time
/// range emits the same samples in the same order (step by step, host by host).
/// </summary>
internal sealed class TelemetryEmitter(SimulationOptions options, HostModel[] hosts, RackModel[] racks)
{
    private const ulong NoiseLoad = 1;
    private const ulong NoiseCpu = 2;
    private const ulong NoiseInlet = 3;
    private const ulong NoiseFan = 100;
    private const ulong NoiseDisk = 200;
    private const ulong RackKey = 1UL << 40;

    private readonly ulong _seed = (ulong)(uint)options.Seed;
    private readonly long _start = options.Start.UtcTicks;
    private readonly long _end = options.End.UtcTicks;
    private readonly long _interval = options.TelemetryInterval.Ticks;

    /// <summary>Grid steps whose time lies in (from, to] and inside the simulated period.</summary>
    public (long First, long Last) Steps(DateTimeOffset fromExclusive, DateTimeOffset toInclusive)
    {
        var from = fromExclusive.UtcTicks;
        var to = Math.Min(toInclusive.UtcTicks, _end);
        var first = from < _start ? 0 : ((from - _start) / _interval) + 1;
        var last = to < _start ? -1 : (to - _start) / _interval;
        return (first, last);
    }

    public void Emit(DateTimeOffset fromExclusive, DateTimeOffset toInclusive, ITelemetrySink sink)
    {
        var (first, last) = Steps(fromExclusive, toInclusive);
        if (last < first)
        {
            return;
        }

        var inlet = new double[racks.Length];
        for (var step = first; step <= last; step++)
        {
            var ticks = _start + (step * _interval);
            var time = new DateTimeOffset(ticks, TimeSpan.Zero);
            var diurnal = Diurnal(ticks);
            for (var r = 0; r < racks.Length; r++)
            {
                inlet[r] = RackInlet(r, step, ticks, diurnal);
            }

            for (var h = 0; h < hosts.Length; h++)
            {
                var host = hosts[h];
                if (ticks < host.FailsAtTicks)
                {
                    EmitHost(h, host, step, ticks, time, diurnal, inlet[host.Rack], sink);
                }
            }
        }
    }

    private void EmitHost(int index, HostModel host, long step, long ticks, DateTimeOffset time, double diurnal, double inlet, ITelemetrySink sink)
    {
        var id = host.Id;
        var hours = (double)(ticks - _start) / TimeSpan.TicksPerHour;
        var failure = host.Failure;
        var progress = failure?.Progress(ticks) ?? 0;
        var mode = failure?.Mode;
        var component = failure?.Component ?? -1;

        var load = Math.Clamp(host.BaseLoad + (host.LoadSwing * diurnal) + (0.04 * Noise(index, step, NoiseLoad)), 0.02, 0.98);
        var cpuTemp = inlet + 20 + (40 * load) + host.CpuTemperatureOffset + (0.7 * Noise(index, step, NoiseCpu));
        if (mode == FailureMode.Fan && progress > 0)
        {
            // With less airflow the CPU climbs towards its thermal trip point, where the host shuts down.
            cpuTemp += Math.Max(0, failure!.Magnitude - cpuTemp) * Math.Pow(progress, 2);
        }

        for (var d = 0; d < host.Disks.Length; d++)
        {
            var disk = host.Disks[d];
            double reallocated = disk.StaticReallocated, pending = disk.StaticPending, offline = disk.StaticPending;
            double reported = disk.StaticReported, timeouts = disk.StaticTimeouts;
            if (mode == FailureMode.Disk && d == component && progress > 0)
            {
                var grow = Math.Pow(progress, failure!.Shape);
                reallocated += Math.Floor(failure.Magnitude * grow);
                var newPending = Math.Floor(failure.Secondary * grow);
                pending += newPending;
                offline += Math.Floor(newPending * failure.OfflineShare);
                reported += Math.Floor(failure.Reported * Math.Pow(progress, 3));
                timeouts += Math.Floor(failure.Timeouts * Math.Pow(progress, 2));
            }

            var temperature = Math.Round(inlet + 9 + disk.TemperatureOffset + (5 * load) + (0.4 * Noise(index, step, NoiseDisk + (ulong)d)));
            Write(sink, id, SignalNames.SmartReallocatedSectors, disk.Name, time, reallocated);
            Write(sink, id, SignalNames.SmartReportedUncorrectable, disk.Name, time, reported);
            Write(sink, id, SignalNames.SmartCommandTimeout, disk.Name, time, timeouts);
            Write(sink, id, SignalNames.SmartTemperature, disk.Name, time, temperature);
            Write(sink, id, SignalNames.SmartPendingSectors, disk.Name, time, pending);
            Write(sink, id, SignalNames.SmartOfflineUncorrectable, disk.Name, time, offline);
            Write(sink, id, SignalNames.SmartPowerOnHours, disk.Name, time, Math.Floor(disk.PowerOnHoursAtStart + hours));
        }

        for (var m = 0; m < host.Dimms.Length; m++)
        {
            var dimm = host.Dimms[m];
            var count = dimm.CountAtStart + Math.Floor(dimm.LeakPerHour * hours);
            foreach (var burst in dimm.Bursts)
            {
                if (ticks > burst.StartTicks)
                {
                    count += Math.Floor(burst.Count * Math.Min(1.0, (double)(ticks - burst.StartTicks) / burst.LengthTicks));
                }
            }

            if (mode == FailureMode.Dimm && m == component && progress > 0)
            {
                count += Math.Floor(StormCount(failure!, ticks));
            }

            Write(sink, id, SignalNames.MemoryCorrectableTotal, dimm.Name, time, count);
        }

        var uncorrectable = mode == FailureMode.Dimm && failure!.FirstUncorrectableAt is { } ue && progress > 0 && ticks >= ue.UtcTicks ? 1 : 0;
        Write(sink, id, SignalNames.MemoryUncorrectableTotal, null, time, uncorrectable);
        Write(sink, id, SignalNames.MachineChecksTotal, null, time, host.MachineChecksAtStart + uncorrectable);
        Write(sink, id, SignalNames.CpuTemperature, null, time, Math.Round(cpuTemp, 1));
        Write(sink, id, SignalNames.InletTemperature, null, time, Math.Round(inlet, 1));
        Write(sink, id, SignalNames.CpuLoad, null, time, Math.Round(load, 3));

        var fanFactor = Math.Clamp(0.75 + (0.3 * (cpuTemp - 55) / 30), 0.6, 1.3);
        for (var f = 0; f < host.Fans.Length; f++)
        {
            var rpm = host.FanNominalRpm[f] * fanFactor * (1 + (0.01 * Noise(index, step, NoiseFan + (ulong)f)));
            if (mode == FailureMode.Fan)
            {
                rpm *= f == component ? 1 - (0.95 * Math.Pow(progress, failure!.Shape)) : 1 + (0.15 * progress);
            }

            Write(sink, id, SignalNames.FanSpeed, host.Fans[f], time, Math.Round(rpm));
        }

        for (var p = 0; p < host.Psus.Length; p++)
        {
            var ok = mode == FailureMode.Psu && p == component && progress > 0 ? 0 : 1;
            Write(sink, id, SignalNames.PsuOk, host.Psus[p], time, ok);
        }

        foreach (var nic in host.Nics)
        {
            Write(sink, id, SignalNames.NicErrorsTotal, nic.Name, time, nic.CountAtStart + Math.Floor(nic.ErrorsPerHour * hours));
        }
    }

    /// <summary>
    /// Cumulative correctable errors of a DIMM storm: the rate grows exponentially from <c>Secondary</c>
    /// per hour to <c>Secondary × Magnitude</c> per hour at failure, so the count is r0/α·(e^(ατ) − 1).
    /// </summary>
    private static double StormCount(InjectedFailure failure, long ticks)
    {
        var start = failure.PrecursorStart!.Value.UtcTicks;
        var durationHours = (double)(failure.FailsAt.UtcTicks - start) / TimeSpan.TicksPerHour;
        var alpha = Math.Log(failure.Magnitude) / durationHours;
        var tau = (double)(ticks - start) / TimeSpan.TicksPerHour;
        return failure.Secondary / alpha * (Math.Exp(alpha * tau) - 1);
    }

    private double RackInlet(int rack, long step, long ticks, double diurnal)
    {
        var model = racks[rack];
        var value = model.InletBase + (0.8 * diurnal) + (0.3 * SimHash.Normal(SimHash.Hash(_seed, RackKey + (ulong)rack, (ulong)step, NoiseInlet)));
        foreach (var e in model.Excursions)
        {
            if (ticks > e.StartTicks && ticks < e.StartTicks + e.LengthTicks)
            {
                // Ramps over the first and last ten minutes, like air mixing in a hot aisle.
                var ramp = Math.Min(ticks - e.StartTicks, e.StartTicks + e.LengthTicks - ticks) / (double)TimeSpan.TicksPerMinute / 10;
                value += e.DegreesC * Math.Min(1, ramp);
            }
        }

        return value;
    }

    /// <summary>Daily cycle in [−1, 1], peaking at 14:00 UTC.</summary>
    private static double Diurnal(long ticks)
    {
        var hourOfDay = (double)(ticks % TimeSpan.TicksPerDay) / TimeSpan.TicksPerHour;
        return Math.Sin(2 * Math.PI * (hourOfDay - 8) / 24);
    }

    private double Noise(int host, long step, ulong stream) => SimHash.Normal(SimHash.Hash(_seed, (ulong)host, (ulong)step, stream));

    private static void Write(ITelemetrySink sink, string host, string signal, string? component, DateTimeOffset time, double value)
    {
        var sample = new TelemetrySample(host, signal, component, time, value);
        sink.Write(in sample);
    }
}
