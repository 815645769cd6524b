using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using Predictor.Core.Risk;
using Predictor.Core.Telemetry;

namespace Predictor.Telemetry.Windows;

/// <summary>Bounds of the in-process telemetry store.</summary>
public sealed class HostWindowOptions
{
    /// <summary>Raw points kept per series (host, signal, component).</summary>
    /// <value>The default value is 64.</value>
    public int RawPointsPerSeries { get; set; } = 64;

    /// <summary>Hourly roll-ups kept per series; must cover the longest feature window (3 days).</summary>
    /// <value>The default value is 96 (4 days).</value>
    public int HourlyBuckets { get; set; } = 96;
}

/// <summary>
/// The in-process telemetry store: one bounded <see cref="SeriesWindow"/> per host, signal and
/// component, fed through <see cref="ITelemetrySink"/>, and the host features assessors read.
/// Thread-safe for one writer and concurrent readers per host.
/// </summary>
public sealed class HostWindowStore : ITelemetrySink
{
    private readonly ConcurrentDictionary<string, HostSeries> _hosts = new(StringComparer.Ordinal);
    private readonly HostWindowOptions _options;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;

    public HostWindowStore(HostWindowOptions? options = null, Meter? meter = null)
    {
        _options = options ?? new HostWindowOptions();
        if (_options.HourlyBuckets < 73)
        {
            throw new ArgumentException($"HourlyBuckets must be at least 73 to cover the 3-day features, got {_options.HourlyBuckets}.", nameof(options));
        }

        meter ??= new Meter(TelemetryMetrics.MeterName);
        _accepted = meter.CreateCounter<long>("predictor.telemetry.samples.accepted", "{sample}", "Samples added to host windows");
        _rejected = meter.CreateCounter<long>("predictor.telemetry.samples.out_of_order", "{sample}", "Samples not newer than their series' last point");
    }

    /// <summary>Samples rejected because they were not newer than the series' last point.</summary>
    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    private long _outOfOrder;

    public void Write(in TelemetrySample sample)
    {
        var host = _hosts.GetOrAdd(sample.Host, static _ => new HostSeries());
        var window = host.Get(sample.Signal, sample.Component, _options);
        lock (host)
        {
            if (window.Add(sample.Time, sample.Value))
            {
                if (host.LastSeen is not { } seen || sample.Time > seen)
                {
                    host.LastSeen = sample.Time;
                }

                _accepted.Add(1);
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
            return new HostFeatures(host, now, series.LastSeen, HostFeatureBuilder.Build(series.BySignal, now));
        }
    }

    private sealed class HostSeries
    {
        public Dictionary<string, Dictionary<string, SeriesWindow>> BySignal { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset? LastSeen { get; set; }

        public SeriesWindow Get(string signal, string? component, HostWindowOptions options)
        {
            lock (this)
            {
                if (!BySignal.TryGetValue(signal, out var components))
                {
                    components = new Dictionary<string, SeriesWindow>(StringComparer.Ordinal);
                    BySignal[signal] = components;
                }

                var key = component ?? "";
                if (!components.TryGetValue(key, out var window))
                {
                    window = new SeriesWindow(options.RawPointsPerSeries, options.HourlyBuckets);
                    components[key] = window;
                }

                return window;
            }
        }
    }
}

/// <summary>Names of the telemetry meter and its instruments.</summary>
public static class TelemetryMetrics
{
    public const string MeterName = "Predictor.Telemetry";
}
