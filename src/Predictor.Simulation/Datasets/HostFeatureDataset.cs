using System.Globalization;
using Predictor.Daemon.Features;

namespace Predictor.Simulation.Datasets;

/// <summary>
/// Turns simulated fleets into a training set for host-failure models: every <c>every</c> from each fleet's start (the
/// moment a daemon started on it would run its first pass, its windows cold), each live host's features exactly as the
/// daemon computes them (<see cref="HostFeatureComputer"/>: the windows and the streaming detectors with their default
/// options), labelled 1 when the host fails within the horizon. Columns: host, time, the features
/// (<see cref="HostFeatureComputer.Names"/>), label. With several fleets a host is named <c>s{seed}-{host}</c>, so that
/// a split by host never puts one fleet's host on both sides.
/// </summary>
public static class HostFeatureDataset
{
    /// <summary>Writes the CSV of one fleet; returns (rows, positive rows).</summary>
    public static (int Rows, int Positives) Write(SimulatedFleet fleet, TimeSpan every, TimeSpan horizon, TextWriter output, IProgress<double>? progress = null, bool keepCensored = false) =>
        Write([fleet], every, horizon, output, progress, keepCensored);

    /// <summary>Writes the CSV of several fleets, one after the other; returns (rows, positive rows).</summary>
    /// <param name="fleets">The simulated fleets.</param>
    /// <param name="every">Time between a host's rows, from each fleet's start.</param>
    /// <param name="horizon">A row is positive when its host fails within this.</param>
    /// <param name="output">Where the CSV goes.</param>
    /// <param name="progress">Told the share done.</param>
    /// <param name="keepCensored">Also write the rows whose horizon runs past the period (labelled by what the period shows).</param>
    public static (int Rows, int Positives) Write(
        IReadOnlyList<SimulatedFleet> fleets, TimeSpan every, TimeSpan horizon, TextWriter output, IProgress<double>? progress = null, bool keepCensored = false)
    {
        ArgumentNullException.ThrowIfNull(fleets);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(every, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(horizon, TimeSpan.Zero);
        var names = HostFeatureComputer.WithDefaultDetectors().Names;
        output.WriteLine("host,time," + string.Join(',', names) + ",label");
        var (rows, positives) = (0, 0);
        for (var i = 0; i < fleets.Count; i++)
        {
            var prefix = fleets.Count == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $"s{fleets[i].Options.Seed}-");
            var done = i;
            var (r, p) = WriteFleet(fleets[i], prefix, names, every, horizon, keepCensored, output,
                progress is null ? null : new Progress<double>(f => progress.Report((done + f) / fleets.Count)));
            rows += r;
            positives += p;
        }

        return (rows, positives);
    }

    private static (int Rows, int Positives) WriteFleet(
        SimulatedFleet fleet, string prefix, IReadOnlyList<string> names, TimeSpan every, TimeSpan horizon, bool keepCensored, TextWriter output, IProgress<double>? progress)
    {
        var source = HostFeatureComputer.WithDefaultDetectors();
        var failsAt = fleet.Failures.ToDictionary(f => f.Host, f => f.FailsAt, StringComparer.Ordinal);
        var hosts = fleet.Inventory.Hosts.Select(h => h.Id).ToArray();
        var (rows, positives) = (0, 0);
        var start = fleet.Options.Start;
        var previous = start - every;
        var last = keepCensored ? fleet.Options.End : fleet.Options.End - horizon;
        for (var t = start; t <= last; t += every)
        {
            fleet.EmitTelemetry(previous, t, source.Sink);
            previous = t;
            var time = t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            foreach (var host in hosts)
            {
                var fails = failsAt.TryGetValue(host, out var at) ? at : (DateTimeOffset?)null;
                if (fails <= t)
                {
                    continue; // dead hosts send nothing and are never assessed
                }

                var features = source.Compute(host, t);
                if (features.LastSeen is null)
                {
                    continue;
                }

                var label = fails is { } f && f - t <= horizon ? 1 : 0;
                output.Write(prefix);
                output.Write(host);
                output.Write(',');
                output.Write(time);
                foreach (var name in names)
                {
                    output.Write(',');
                    var v = features.Get(name);
                    if (!double.IsNaN(v))
                    {
                        // models read features as float32: the shortest text that round-trips it
                        output.Write(((float)v).ToString("R", CultureInfo.InvariantCulture));
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
