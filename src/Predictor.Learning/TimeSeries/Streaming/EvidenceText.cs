using System.Globalization;
using Predictor.Core.Telemetry;

namespace Predictor.Learning.TimeSeries.Streaming;

/// <summary>Operator-facing descriptions of detector alerts.</summary>
internal static class EvidenceText
{
    public static string Describe(string signal, string? component, DetectorEvent e, bool isCounter)
    {
        string where = component is null ? string.Empty : " on " + component;
        string at = e.Time.ToString("HH:mm", CultureInfo.InvariantCulture);
        string unit = Unit(signal);
        string suffix = unit.Length == 0 ? string.Empty : " " + unit;
        if (e.Kind == DetectorEventKind.ChangePoint)
        {
            string what = isCounter ? "rate" : "level";
            string per = isCounter ? " per sample" : string.Empty;
            return $"change point in {signal}{where} at {at}, {what} {Number(e.Before)} → {Number(e.After)}{suffix}{per}";
        }

        if (e.Kind == DetectorEventKind.Novelty)
        {
            string what = isCounter ? "increase" : "value";
            return $"unseen behaviour in {signal}{where} at {at}: {what} {Number(e.Value)}{suffix} unlike the recent history";
        }

        return isCounter
            ? $"spike in {signal}{where} at {at}: +{Number(e.Value)}{suffix} in one sample against a typical {Number(e.Before)}"
            : $"spike in {signal}{where} at {at}: {Number(e.Value)}{suffix} against a typical {Number(e.Before)}{suffix}";
    }

    public static string Unit(string signal) => signal switch
    {
        SignalNames.FanSpeed => "rpm",
        SignalNames.CpuTemperature or SignalNames.InletTemperature or SignalNames.SmartTemperature => "°C",
        SignalNames.MemoryCorrectableTotal or SignalNames.MemoryUncorrectableTotal or SignalNames.NicErrorsTotal => "errors",
        SignalNames.MachineChecksTotal => "machine checks",
        _ when signal.EndsWith("_temp_c", StringComparison.Ordinal) => "°C",
        _ => string.Empty,
    };

    private static string Number(double value) =>
        double.IsNaN(value) ? "?" : Math.Abs(value) >= 100 ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);
}
