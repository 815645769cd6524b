using System.Runtime.CompilerServices;
using Predictor.Core.Risk;
using Predictor.Core.Telemetry;
using Predictor.Daemon.Features;
using Predictor.Learning.TimeSeries.Streaming;
using Predictor.Telemetry.Windows;

namespace Predictor.Daemon.Datasets;

/// <summary>Stored raw telemetry that can be read again: InfluxDB, or any store that keeps points by time.</summary>
public interface IRawTelemetry
{
    /// <summary>Where the telemetry is read from, for lineage.</summary>
    string Description { get; }

    /// <summary>Writes every stored sample in (<paramref name="after"/>, <paramref name="until"/>] to <paramref name="sink"/>, each series in time order.</summary>
    Task ReadAsync(DateTimeOffset after, DateTimeOffset until, ITelemetrySink sink, CancellationToken cancellationToken);
}

/// <summary>
/// Rebuilds the features the daemon would have computed at past moments: stored raw telemetry is fed, in time, through
/// the daemon's own <see cref="HostFeatureComputer"/> (the same windows and streaming detectors, with the daemon's
/// settings), and at each row time every host with fresh telemetry yields its features, computed from the samples at or
/// before that time only (point-in-time correct). Row times are multiples of the row interval (aligned as the daemon's
/// feature log aligns them), from <c>from</c> to <c>to</c>.
/// </summary>
public sealed class TelemetryReplay(ReplaySettings settings)
{
    /// <summary>The features of every fresh host at each row time, by time then host.</summary>
    public async IAsyncEnumerable<HostFeatures> RunAsync(
        IRawTelemetry source, DateTimeOffset from, DateTimeOffset to, TimeSpan every, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(every, TimeSpan.Zero);
        var computer = new HostFeatureComputer(new HostWindowStore(settings.Windows), new HostSignalDetectors(settings.Detectors));
        var hosts = new HostsSeen(computer.Sink);
        var previous = from - settings.WarmUp;
        foreach (var at in RowTimes(from, to, every))
        {
            await source.ReadAsync(previous, at, hosts, cancellationToken).ConfigureAwait(false);
            previous = at;
            foreach (var host in hosts.Sorted())
            {
                var features = computer.Compute(host, at);
                if (!features.IsStale(settings.StaleAfter))
                {
                    yield return features;
                }
            }
        }
    }

    /// <summary>The multiples of <paramref name="every"/> (since the Unix epoch) in [from, to].</summary>
    public static IEnumerable<DateTimeOffset> RowTimes(DateTimeOffset from, DateTimeOffset to, TimeSpan every)
    {
        var ticks = every.Ticks;
        var first = (from.UtcTicks + ticks - 1) / ticks * ticks;
        for (var t = first; t <= to.UtcTicks; t += ticks)
        {
            yield return new DateTimeOffset(t, TimeSpan.Zero);
        }
    }

    /// <summary>Passes samples on and remembers which hosts sent any.</summary>
    private sealed class HostsSeen(ITelemetrySink inner) : ITelemetrySink
    {
        private readonly HashSet<string> _hosts = new(StringComparer.Ordinal);
        private string[]? _sorted;

        public string[] Sorted() => _sorted ??= [.. _hosts.Order(StringComparer.Ordinal)];

        public void Write(in TelemetrySample sample)
        {
            Seen(sample.Host);
            inner.Write(sample);
        }

        public void Write(string host, DateTimeOffset time, ReadOnlySpan<SignalReading> readings)
        {
            Seen(host);
            inner.Write(host, time, readings);
        }

        private void Seen(string host)
        {
            lock (_hosts)
            {
                if (_hosts.Add(host))
                {
                    _sorted = null;
                }
            }
        }
    }
}
