using System.Globalization;

namespace Predictor.Learning.Metrics;

/// <summary>The operator's view at one threshold: per unit (drive, host) rather than per row.</summary>
/// <param name="Threshold">A unit is flagged when any of its rows reaches this probability.</param>
/// <param name="Units">Units evaluated.</param>
/// <param name="FailedUnits">Units with at least one positive row.</param>
/// <param name="DetectionRate">Failed units flagged / failed units.</param>
/// <param name="FalseAlarmRate">Healthy units flagged / healthy units.</param>
/// <param name="MedianLeadTimeHours">Median time from the first flag to the first failure row among caught
/// failed units (rows flagged before or at the failure), when a time column exists; else null.</param>
internal sealed record UnitOperatingPoint(
    double Threshold, int Units, int FailedUnits, double DetectionRate, double FalseAlarmRate, double? MedianLeadTimeHours);

internal static class UnitMetrics
{
    public static UnitOperatingPoint At(
        double threshold, ReadOnlySpan<double> probabilities, ReadOnlySpan<float> labels, string[] groups, string[]? times)
    {
        var units = new Dictionary<string, UnitState>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Length; i++)
        {
            if (!units.TryGetValue(groups[i], out var unit))
            {
                unit = new UnitState();
                units[groups[i]] = unit;
            }

            var time = times is null ? (DateTimeOffset?)null : ParseTime(times[i]);
            if (labels[i] > 0.5f)
            {
                unit.Failed = true;
                if (time is { } t && (unit.FirstFailure is null || t < unit.FirstFailure))
                {
                    unit.FirstFailure = t;
                }
            }

            if (probabilities[i] >= threshold)
            {
                unit.Flagged = true;
                if (time is { } t && (unit.FirstFlag is null || t < unit.FirstFlag))
                {
                    unit.FirstFlag = t;
                }
            }
        }

        int failed = 0, caught = 0, healthy = 0, falseAlarms = 0;
        var leads = new List<double>();
        foreach (var unit in units.Values)
        {
            if (unit.Failed)
            {
                failed++;
                caught += unit.Flagged ? 1 : 0;
                if (unit is { FirstFlag: { } flag, FirstFailure: { } failure } && flag <= failure)
                {
                    leads.Add((failure - flag).TotalHours);
                }
            }
            else
            {
                healthy++;
                falseAlarms += unit.Flagged ? 1 : 0;
            }
        }

        leads.Sort();
        double? median = leads.Count == 0 ? null
            : leads.Count % 2 == 1 ? leads[leads.Count / 2] : (leads[(leads.Count / 2) - 1] + leads[leads.Count / 2]) / 2;
        return new UnitOperatingPoint(
            threshold, units.Count, failed,
            failed == 0 ? double.NaN : (double)caught / failed,
            healthy == 0 ? double.NaN : (double)falseAlarms / healthy,
            times is null ? null : median);
    }

    /// <summary>ISO dates and date-times; a plain number is taken as Unix seconds.</summary>
    public static DateTimeOffset? ParseTime(string text)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.UnixEpoch.AddSeconds(seconds)
            : null;
    }

    private sealed class UnitState
    {
        public bool Failed;
        public bool Flagged;
        public DateTimeOffset? FirstFailure;
        public DateTimeOffset? FirstFlag;
    }
}
