using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using Predictor.Core.Risk;
using Predictor.Core.Telemetry;

namespace Predictor.Telemetry.Windows;

/// <summary>
/// The in-process telemetry store: one bounded <see cref="SeriesWindow"/> per host, signal and
/// component (fine, hourly and coarse buckets; see <see cref="HostWindowOptions"/>), fed through
/// <see cref="ITelemetrySink"/>, and the host features assessors read.
/// Thread-safe: writers (pushes on request threads, a pass's pull) and readers (the pipeline's features) lock per host.
/// </summary>
public sealed class HostWindowStore : ITelemetrySink
{
    private readonly ConcurrentDictionary<string, HostSeries> _hosts = new(StringComparer.Ordinal);
    private readonly WindowLayout _layout;
    private readonly Counter<long> _rejected;

    public HostWindowStore(HostWindowOptions? options = null, Meter? meter = null)
    {
        options ??= new HostWindowOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid window options: " + string.Join(" ", errors), nameof(options));
        }

        _layout = new WindowLayout(options);

        meter ??= new Meter(TelemetryMetrics.MeterName);
        // counted per host under the lock a write holds anyway, summed when read: no shared counter per sample
        meter.CreateObservableCounter("predictor.telemetry.samples.accepted", () => _hosts.Values.Sum(h => Interlocked.Read(ref h.Accepted)), "{sample}", "Samples added to host windows");
        _rejected = meter.CreateCounter<long>("predictor.telemetry.samples.out_of_order", "{sample}", "Samples not newer than their series' last point");
    }

    /// <summary>Samples rejected because they were not newer than the series' last point.</summary>
    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    private long _outOfOrder;

    public void Write(in TelemetrySample sample)
    {
        var host = _hosts.GetOrAdd(sample.Host, static _ => new HostSeries());
        lock (host)
        {
            // one lock per sample: Get's own lock on the host is re-entered, not taken again
            var window = host.Get(sample.Signal, sample.Component, _layout);
            if (window.Add(_layout, sample.Time, sample.Value))
            {
                if (host.LastSeen is not { } seen || sample.Time > seen)
                {
                    host.LastSeen = sample.Time;
                }

                host.Accepted++;
                return;
            }
        }

        Interlocked.Increment(ref _outOfOrder);
        _rejected.Add(1);
    }

    /// <summary>Newest telemetry time of a host, or null when it never reported.</summary>
    public DateTimeOffset? LastSeen(string host) => _hosts.TryGetValue(host, out var h) ? h.LastSeen : null;

    /// <summary>The features of one host at <paramref name="now"/> (see <see cref="FeatureNames"/>).</summary>
    public HostFeatures Features(string host, DateTimeOffset now)
    {
        if (!_hosts.TryGetValue(host, out var series))
        {
            return new HostFeatures(host, now, null, FrozenDictionary<string, double>.Empty);
        }

        lock (series)
        {
            return new HostFeatures(host, now, series.LastSeen, HostFeatureBuilder.Build(series.BySignal, now, _layout));
        }
    }

    private sealed class HostSeries
    {
        /// <summary>Per signal, its components' windows; a short array rather than a dictionary, since a host has a few components per signal.</summary>
        public Dictionary<string, ComponentWindow[]> BySignal { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset? LastSeen { get; set; }

        /// <summary>Samples accepted for this host (written under the host's lock).</summary>
        public long Accepted;

        public SeriesWindow Get(string signal, string? component, WindowLayout layout)
        {
            var key = component ?? "";
            lock (this)
            {
                if (BySignal.TryGetValue(signal, out var components))
                {
                    foreach (var c in components)
                    {
                        if (ReferenceEquals(c.Component, key) || string.Equals(c.Component, key, StringComparison.Ordinal))
                        {
                            return c.Window;
                        }
                    }
                }

                var window = new SeriesWindow(layout);
                BySignal[signal] = [.. components ?? [], new ComponentWindow(key, window)];
                return window;
            }
        }
    }
}

/// <summary>One component's window of a signal ("" for host-wide signals).</summary>
internal readonly record struct ComponentWindow(string Component, SeriesWindow Window);

/// <summary>Names of the telemetry meter and its instruments.</summary>
public static class TelemetryMetrics
{
    public const string MeterName = "Predictor.Telemetry";
}
