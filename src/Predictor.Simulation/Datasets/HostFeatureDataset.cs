using System.Globalization;
using Predictor.Core.Risk;
using Predictor.Telemetry.Windows;

namespace Predictor.Simulation.Datasets;

/// <summary>
/// Turns a simulated fleet into a training set for host-failure models: every <c>every</c>, each live host's
/// features exactly as the daemon computes them (<see cref="HostWindowStore"/>, <see cref="FeatureNames"/>),
/// labelled 1 when the host fails within the horizon. Columns: host, time, the features, label.
/// </summary>
public static class HostFeatureDataset
{
    /// <summary>Writes the CSV; returns (rows, positive rows).</summary>
    public static (int Rows, int Positives) Write(SimulatedFleet fleet, TimeSpan every, TimeSpan horizon, TextWriter output, IProgress<double>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(every, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(horizon, TimeSpan.Zero);
        var store = new HostWindowStore();
        var failsAt = fleet.Failures.ToDictionary(f => f.Host, f => f.FailsAt, StringComparer.Ordinal);
        var hosts = fleet.Inventory.Hosts.Select(h => h.Id).ToArray();
        output.WriteLine("host,time," + string.Join(',', FeatureNames.All) + ",label");
        var (rows, positives) = (0, 0);
        var start = fleet.Options.Start;
        var previous = start;
        for (var t = start + every; t <= fleet.Options.End; t += every)
        {
            fleet.EmitTelemetry(previous, t, store);
            previous = t;
            foreach (var host in hosts)
            {
                var fails = failsAt.TryGetValue(host, out var at) ? at : (DateTimeOffset?)null;
                if (fails <= t)
                {
                    continue; // dead hosts send nothing and are never assessed
                }

                var features = store.Features(host, t);
                if (features.LastSeen is null)
                {
                    continue;
                }

                var label = fails is { } f && f - t <= horizon ? 1 : 0;
                output.Write(host);
                output.Write(',');
                output.Write(t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                foreach (var name in FeatureNames.All)
                {
                    output.Write(',');
                    var v = features.Get(name);
                    if (!double.IsNaN(v))
                    {
                        output.Write(v.ToString("R", CultureInfo.InvariantCulture));
                    }
                }

                output.Write(',');
                output.WriteLine(label);
                rows++;
                positives += label;
            }

            progress?.Report((t - start) / fleet.Options.Duration);
        }

        return (rows, positives);
    }
}
