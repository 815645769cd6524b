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

    public static FrozenDictionary<string, double> Build(Dictionary<string, ComponentWindow[]> bySignal, SeriesEntry[] windows, DateTimeOffset now, WindowLayout layout)
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
        return values.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static double Sum(double a, double b) => a + b;
}
