using System.Collections.Frozen;
using Predictor.Core.Risk;
using Predictor.Core.Telemetry;

namespace Predictor.Telemetry.Windows;

/// <summary>
/// Computes <see cref="FeatureNames"/> from a host's series. Per-component values are combined across
/// components with the aggregate that flags trouble: the worst disk (max), the slowest fan (min), the
/// failed PSU (min), the total of counters over DIMMs and NICs (sum).
/// </summary>
internal static class HostFeatureBuilder
{
    private static readonly TimeSpan s_hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan s_day = TimeSpan.FromDays(1);
    private static readonly TimeSpan s_threeDays = TimeSpan.FromDays(3);
    private static readonly TimeSpan s_sixHours = TimeSpan.FromHours(6);
    private static readonly TimeSpan s_twelveHours = TimeSpan.FromHours(12);

    /// <param name="bySignal">Per signal, its components' windows.</param>
    /// <param name="windows">The host's windows.</param>
    /// <param name="firstSeen">The host's first sample.</param>
    /// <param name="now">When the features are computed.</param>
    /// <param name="layout">The windows' tiers.</param>
    public static FrozenDictionary<string, double> Build(Dictionary<string, ComponentWindow[]> bySignal, SeriesEntry[] windows, DateTimeOffset? firstSeen, DateTimeOffset now, WindowLayout layout)
    {
        var values = new Dictionary<string, double>(FeatureNames.All.Count, StringComparer.Ordinal);

        void Put(string name, double value)
        {
            if (!double.IsNaN(value))
            {
                values[name] = value;
            }
        }

        double Combine(string signal, Func<SeriesWindow, double> of, Func<double, double, double> combine)
        {
            if (!bySignal.TryGetValue(signal, out var components))
            {
                return double.NaN;
            }

            var result = double.NaN;
            foreach (var component in components)
            {
                var v = of(windows[component.Index].Window);
                if (!double.IsNaN(v))
                {
                    result = double.IsNaN(result) ? v : combine(result, v);
                }
            }

            return result;
        }

        // a value of the component where another is largest: the DIMM that counted most errors in the last day
        double Of(string signal, Func<SeriesWindow, double> by, Func<SeriesWindow, double> of)
        {
            if (!bySignal.TryGetValue(signal, out var components))
            {
                return double.NaN;
            }

            var (best, result) = (double.NegativeInfinity, double.NaN);
            foreach (var component in components)
            {
                var window = windows[component.Index].Window;
                var key = by(window);
                if (key > best)
                {
                    (best, result) = (key, of(window));
                }
            }

            return result;
        }

        Put(FeatureNames.SmartReallocatedMax, Combine(SignalNames.SmartReallocatedSectors, w => w.Last, Math.Max));
        Put(FeatureNames.SmartReallocatedDelta3d, Combine(SignalNames.SmartReallocatedSectors, w => w.Delta(layout, now, s_threeDays), Math.Max));
        Put(FeatureNames.SmartReportedUncorrectableMax, Combine(SignalNames.SmartReportedUncorrectable, w => w.Last, Math.Max));
        Put(FeatureNames.SmartCommandTimeoutMax, Combine(SignalNames.SmartCommandTimeout, w => w.Last, Math.Max));
        Put(FeatureNames.SmartPendingMax, Combine(SignalNames.SmartPendingSectors, w => w.Last, Math.Max));
        Put(FeatureNames.SmartPendingDelta3d, Combine(SignalNames.SmartPendingSectors, w => w.Delta(layout, now, s_threeDays), Math.Max));
        Put(FeatureNames.SmartOfflineUncorrectableMax, Combine(SignalNames.SmartOfflineUncorrectable, w => w.Last, Math.Max));
        Put(FeatureNames.SmartTemperatureMax, Combine(SignalNames.SmartTemperature, w => w.Last, Math.Max));
        Put(FeatureNames.MemoryCorrectableRate1h, Combine(SignalNames.MemoryCorrectableTotal, w => w.RecentIncrease(layout, now, s_hour), Sum));
        Put(FeatureNames.MemoryCorrectableRate24h, Combine(SignalNames.MemoryCorrectableTotal, w => w.Increase(layout, now, s_day) / 24, Sum));
        Put(FeatureNames.MemoryUncorrectableDelta24h, Combine(SignalNames.MemoryUncorrectableTotal, w => w.Increase(layout, now, s_day), Sum));
        Put(FeatureNames.MachineChecksDelta24h, Combine(SignalNames.MachineChecksTotal, w => w.Increase(layout, now, s_day), Sum));
        Put(FeatureNames.CpuTemperatureLast, Combine(SignalNames.CpuTemperature, w => w.Last, Math.Max));
        Put(FeatureNames.CpuTemperatureSlope24h, Combine(SignalNames.CpuTemperature, w => w.HourlySlope(layout, now, s_day), Math.Max));
        Put(FeatureNames.InletTemperatureLast, Combine(SignalNames.InletTemperature, w => w.Last, Math.Max));
        Put(FeatureNames.FanSpeedMin, Combine(SignalNames.FanSpeed, w => w.Last, Math.Min));
        Put(FeatureNames.FanSpeedSlope24h, Combine(SignalNames.FanSpeed, w => w.HourlySlope(layout, now, s_day), Math.Min));
        Put(FeatureNames.PsuOkMin, Combine(SignalNames.PsuOk, w => w.Last, Math.Min));
        Put(FeatureNames.NicErrorsRate1h, Combine(SignalNames.NicErrorsTotal, w => w.RecentIncrease(layout, now, s_hour), Sum));
        Put(FeatureNames.CpuLoadMean1h, Combine(SignalNames.CpuLoad, w => w.RecentMean(layout, now, s_hour), Math.Max));

        // growth against a counter that sits still: how much, how fast it speeds up, how steadily, and since when not
        double Unchanged(SeriesWindow w) => w.ChangedAt is { } changed ? Hours(now - changed) : double.NaN;
        double Growth(SeriesWindow w) => (w.Increase(layout, now, s_sixHours) + 1) / (w.IncreaseBefore(layout, now, s_twelveHours, s_sixHours) + 1);
        double RisingHours(SeriesWindow w) => w.RisingBuckets(layout.Hourly, now, s_day);
        var reallocated = SignalNames.SmartReallocatedSectors;
        Put(FeatureNames.SmartReallocatedDelta1h, Combine(reallocated, w => w.RecentIncrease(layout, now, s_hour), Math.Max));
        Put(FeatureNames.SmartReallocatedDelta6h, Combine(reallocated, w => w.Increase(layout, now, s_sixHours), Math.Max));
        Put(FeatureNames.SmartReallocatedDelta24h, Combine(reallocated, w => w.Increase(layout, now, s_day), Math.Max));
        Put(FeatureNames.SmartReallocatedGrowth6h, Combine(reallocated, Growth, Math.Max));
        Put(FeatureNames.SmartReallocatedRisingHours24h, Combine(reallocated, RisingHours, Math.Max));
        Put(FeatureNames.SmartReallocatedUnchangedHours, Combine(reallocated, Unchanged, Math.Min));
        Put(FeatureNames.SmartPendingDelta6h, Combine(SignalNames.SmartPendingSectors, w => w.Increase(layout, now, s_sixHours), Math.Max));
        Put(FeatureNames.SmartPendingDelta24h, Combine(SignalNames.SmartPendingSectors, w => w.Increase(layout, now, s_day), Math.Max));
        Put(FeatureNames.SmartPendingUnchangedHours, Combine(SignalNames.SmartPendingSectors, Unchanged, Math.Min));
        Put(FeatureNames.SmartReportedUncorrectableDelta24h, Combine(SignalNames.SmartReportedUncorrectable, w => w.Increase(layout, now, s_day), Math.Max));
        Put(FeatureNames.SmartCommandTimeoutDelta24h, Combine(SignalNames.SmartCommandTimeout, w => w.Increase(layout, now, s_day), Math.Max));
        Put(FeatureNames.SmartOfflineUncorrectableDelta24h, Combine(SignalNames.SmartOfflineUncorrectable, w => w.Increase(layout, now, s_day), Math.Max));
        var errorsUnchanged = double.NaN;
        foreach (var attribute in SignalNames.SmartWarningAttributes)
        {
            var unchanged = Combine(attribute, Unchanged, Math.Min);
            errorsUnchanged = double.IsNaN(errorsUnchanged) ? unchanged : double.IsNaN(unchanged) ? errorsUnchanged : Math.Min(errorsUnchanged, unchanged);
        }

        Put(FeatureNames.SmartErrorsUnchangedHours, errorsUnchanged);

        // a storm rises for hours and keeps rising; a burst fills an hour and is over. Judged on the DIMM that counted most
        // errors in the last day, so that a neighbour leaking a few an hour does not lend a burst its steady hours.
        var correctable = SignalNames.MemoryCorrectableTotal;
        var fineBuckets = (double)(s_hour.Ticks / layout.Fine.Width);
        double DayIncrease(SeriesWindow w) => w.Increase(layout, now, s_day);
        Put(FeatureNames.MemoryCorrectableRate6h, Combine(correctable, w => w.Increase(layout, now, s_sixHours) / 6, Sum));
        Put(FeatureNames.MemoryCorrectableGrowth6h, Of(correctable, DayIncrease, Growth));
        Put(FeatureNames.MemoryCorrectableRisingHours24h, Of(correctable, DayIncrease, RisingHours));
        Put(FeatureNames.MemoryCorrectableRisingShare1h, Of(correctable, DayIncrease, w => w.RisingBuckets(layout.Fine, now, s_hour) / fineBuckets));
        Put(FeatureNames.MemoryCorrectableUnchangedHours, Of(correctable, DayIncrease, Unchanged));
        Put(FeatureNames.MemoryCorrectableShare1hOf6h, Of(correctable, DayIncrease, w =>
            w.Increase(layout, now, s_sixHours) is var six and > 0 ? Math.Min(1, w.RecentIncrease(layout, now, s_hour) / six) : 0));

        // a hot aisle warms the inlet, the CPU and every fan together; a failing fan slows alone and warms only the CPU
        var cpu = Combine(SignalNames.CpuTemperature, w => w.Last, Math.Max);
        Put(FeatureNames.CpuTemperatureOverInlet, cpu - Combine(SignalNames.InletTemperature, w => w.Last, Math.Max));
        Put(FeatureNames.CpuTemperatureSlope6h, Combine(SignalNames.CpuTemperature, w => w.HourlySlope(layout, now, s_sixHours), Math.Max));
        var fastest = Combine(SignalNames.FanSpeed, w => w.Last, Math.Max);
        Put(FeatureNames.FanSpeedMinShare, fastest > 0 ? Combine(SignalNames.FanSpeed, w => w.Last, Math.Min) / fastest : double.NaN);
        Put(FeatureNames.FanSpeedSlope6h, Combine(SignalNames.FanSpeed, w => w.HourlySlope(layout, now, s_sixHours), Math.Min));
        Put(FeatureNames.HostObservedHours, firstSeen is { } first ? Hours(now - first) : double.NaN);
        return values.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static double Sum(double a, double b) => a + b;

    /// <summary>A span in hours, from 0 to <see cref="FeatureNames.MaxObservedHours"/>.</summary>
    private static double Hours(TimeSpan span) => Math.Clamp(span.TotalHours, 0, FeatureNames.MaxObservedHours);
}
