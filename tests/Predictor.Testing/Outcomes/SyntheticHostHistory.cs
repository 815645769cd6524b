using System.Collections.Frozen;
using Predictor.Core.Outcomes;
using Predictor.Core.Risk;

namespace Predictor.Testing.Outcomes;

/// <summary>
/// A small fleet's hourly feature rows and outcomes, as a daemon's outcome log would hold them, with a signal a model
/// can learn: a failing host's reallocated sectors grow for 60 hours before it fails; a few healthy hosts carry a static
/// count. Failures are spread so that some fall in every week. Deterministic.
/// </summary>
public static class SyntheticHostHistory
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes <paramref name="days"/> days of <paramref name="hosts"/> hosts into <paramref name="log"/>; returns the failures.</summary>
    public static IReadOnlyList<HostOutcome> Write(IOutcomeLog log, int hosts = 30, int days = 16)
    {
        ArgumentNullException.ThrowIfNull(log);
        var end = Start.AddDays(days);
        // every third host fails, at times spread over the span (not in the first 3 days, so it has a precursor)
        var failures = Enumerable.Range(0, hosts).Where(h => h % 3 == 0)
            .Select((h, i) => new HostOutcome(Name(h), Start.AddHours(72 + (i * 37 % ((days - 3) * 24))), OutcomeKind.Failed, "disk:sda", "disk-media", "ticket"))
            .Where(f => f.At < end)
            .ToArray();
        var failsAt = failures.ToDictionary(f => f.Host, f => f.At, StringComparer.Ordinal);
        for (var t = Start; t <= end; t = t.AddHours(1))
        {
            var rows = new List<HostFeatures>(hosts);
            for (var h = 0; h < hosts; h++)
            {
                var host = Name(h);
                var fails = failsAt.TryGetValue(host, out var at) ? at : (DateTimeOffset?)null;
                if (fails <= t)
                {
                    continue; // the daemon does not assess a failed host
                }

                var before = fails is { } f ? (f - t).TotalHours : double.PositiveInfinity;
                var reallocated = before < 60 ? Math.Floor((60 - before) * 5) : h % 7 == 1 ? 40 : 0;
                var grown = before < 60 ? Math.Min(reallocated, Math.Floor((60 - before) * 5)) : 0;
                var noise = ((h * 7919 + (int)(t - Start).TotalHours * 104729) % 1000) / 100.0;
                rows.Add(new HostFeatures(host, t, t.AddMinutes(-4), new Dictionary<string, double>
                {
                    [FeatureNames.SmartReallocatedMax] = reallocated,
                    [FeatureNames.SmartReallocatedDelta3d] = grown,
                    [FeatureNames.CpuTemperatureLast] = 45 + noise,
                    [FeatureNames.FanSpeedMin] = 8000 - noise * 10,
                    [FeatureNames.PsuOkMin] = 1,
                }.ToFrozenDictionary(StringComparer.Ordinal)));
            }

            log.AppendFeatures(rows);
        }

        log.AppendRange(failures);
        return failures;
    }

    private static string Name(int host) => $"h{host:D3}";
}
