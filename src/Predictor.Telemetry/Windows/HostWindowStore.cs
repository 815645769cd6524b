using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using Predictor.Core.Configuration;
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
    private readonly Counter<long>? _rejected;

    public HostWindowStore(HostWindowOptions? options = null, IMeterFactory? meterFactory = null)
    {
        options ??= new HostWindowOptions();
        OptionsGuard.ThrowIfInvalid(options, nameof(options));

        _layout = new WindowLayout(options);

        // without a factory (tests, benchmarks, CLI verbs) nothing is measured
        if (meterFactory?.Create(TelemetryMetrics.MeterName) is not { } meter)
        {
            return;
        }

        // counted per host under the lock a write holds anyway, summed when read: no shared counter per sample
        meter.CreateObservableCounter("predictor.telemetry.samples.accepted", () => _hosts.Values.Sum(h => Interlocked.Read(ref h.Accepted)), "{sample}", "Samples added to host windows");
        _rejected = meter.CreateCounter<long>("predictor.telemetry.samples.out_of_order", "{sample}", "Samples not newer than their series' last point");
    }

    /// <summary>Samples rejected because they were not newer than the series' last point.</summary>
    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    private long _outOfOrder;

    public void Write(in TelemetrySample sample)
    {
        var reading = new SignalReading(sample.Signal, sample.Component, sample.Value);
        Write(sample.Host, sample.Time, new ReadOnlySpan<SignalReading>(in reading));
    }

    /// <summary>Adds a point's readings under one lookup and one lock of the host.</summary>
    public void Write(string host, DateTimeOffset time, ReadOnlySpan<SignalReading> readings)
    {
        var series = _hosts.GetOrAdd(host, static _ => new HostSeries());
        var rejected = 0;
        lock (series)
        {
            series.BeginPoint();
            foreach (ref readonly var reading in readings)
            {
                if (!series.Get(reading.Signal, reading.Component, _layout).Add(_layout, time, reading.Value))
                {
                    rejected++;
                }
            }

            if (rejected < readings.Length)
            {
                if (series.LastSeen is not { } seen || time > seen)
                {
                    series.LastSeen = time;
                }

                if (series.FirstSeen is not { } first || time < first)
                {
                    series.FirstSeen = time;
                }

                series.Accepted += readings.Length - rejected;
            }
        }

        if (rejected > 0)
        {
            Interlocked.Add(ref _outOfOrder, rejected);
            _rejected?.Add(rejected);
        }
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
            return new HostFeatures(host, now, series.LastSeen, HostFeatureBuilder.Build(series.BySignal, series.Windows, series.FirstSeen, now, _layout));
        }
    }

    /// <summary>
    /// Every series a host has, with its last day (the hourly buckets' means) and its last week (the coarse buckets'
    /// means), oldest first: what the dashboard charts. Empty when the host never reported.
    /// </summary>
    public IReadOnlyList<SeriesHistory> History(string host)
    {
        if (!_hosts.TryGetValue(host, out var series))
        {
            return [];
        }

        lock (series)
        {
            return [.. series.BySignal
                .SelectMany(s => s.Value.Select(c => (Signal: s.Key, c.Component, Window: series.Windows[c.Index].Window)))
                .OrderBy(s => s.Signal, StringComparer.Ordinal).ThenBy(s => s.Component, StringComparer.Ordinal)
                .Select(s => new SeriesHistory(
                    s.Signal, s.Component.Length == 0 ? null : s.Component,
                    [.. s.Window.Buckets(_layout.Hourly).Select(b => (b.End, b.Mean))],
                    [.. s.Window.Buckets(_layout.Coarse).Select(b => (b.End, b.Mean))]))];
        }
    }

    private sealed class HostSeries
    {
        // every window inline, in the order it was created, so that a point's readings touch adjacent memory
        private SeriesEntry[] _entries = new SeriesEntry[8];
        private int _count;
        private ReadingRoute _route;

        /// <summary>Per signal, its components' windows; a short array rather than a dictionary, since a host has a few components per signal.</summary>
        public Dictionary<string, ComponentWindow[]> BySignal { get; } = new(StringComparer.Ordinal);

        /// <summary>The windows, indexed by <see cref="ComponentWindow.Index"/> (entries past the last index are empty); the caller holds the host's lock.</summary>
        public SeriesEntry[] Windows => _entries;

        public DateTimeOffset? LastSeen { get; set; }

        /// <summary>The host's oldest accepted sample.</summary>
        public DateTimeOffset? FirstSeen { get; set; }

        /// <summary>Samples accepted for this host (written under the host's lock).</summary>
        public long Accepted;

        /// <summary>Starts a point's readings (see <see cref="ReadingRoute"/>).</summary>
        public void BeginPoint() => _route.BeginPoint();

        /// <summary>The window of a signal's component, created on first use; the caller holds the host's lock.</summary>
        public ref SeriesWindow Get(string signal, string? component, WindowLayout layout)
        {
            var key = component ?? "";
            var i = _route.Remembered;
            if (!Holds(i, signal, key))
            {
                i = _route.Next;
                if (!Holds(i, signal, key))
                {
                    i = Find(signal, key, layout);
                }
            }

            _route.Found(i);
            return ref _entries[i].Window;
        }

        // usually the same string instances; equal ones when two sources name a signal (the simulator, a mapping)
        private bool Holds(int i, string signal, string key) =>
            (uint)i < (uint)_count && string.Equals(_entries[i].Signal, signal, StringComparison.Ordinal) && string.Equals(_entries[i].Component, key, StringComparison.Ordinal);

        private int Find(string signal, string key, WindowLayout layout)
        {
            if (BySignal.TryGetValue(signal, out var components))
            {
                foreach (var c in components)
                {
                    if (string.Equals(c.Component, key, StringComparison.Ordinal))
                    {
                        return c.Index;
                    }
                }
            }

            if (_count == _entries.Length)
            {
                Array.Resize(ref _entries, _count * 2);
            }

            _entries[_count] = new SeriesEntry(signal, key, new SeriesWindow(layout));
            BySignal[signal] = [.. components ?? [], new ComponentWindow(key, _count)];
            return _count++;
        }
    }
}

/// <summary>One series of a host: its signal, component (null for host-wide signals), and per-bucket means over the last day (hourly) and the last week (coarse buckets), each stamped with its bucket's end.</summary>
public sealed record SeriesHistory(string Signal, string? Component, IReadOnlyList<(DateTimeOffset End, double Mean)> Day, IReadOnlyList<(DateTimeOffset End, double Mean)> Week);

/// <summary>A host's window of one signal and component ("" for host-wide signals).</summary>
internal struct SeriesEntry(string signal, string component, SeriesWindow window)
{
    public readonly string Signal = signal;
    public readonly string Component = component;
    public SeriesWindow Window = window;
}

/// <summary>One component of a signal ("" for host-wide signals) and the index of its window in the host's <see cref="SeriesEntry"/> array.</summary>
internal readonly record struct ComponentWindow(string Component, int Index);

/// <summary>Names of the telemetry meter and its instruments.</summary>
public static class TelemetryMetrics
{
    public const string MeterName = "Predictor.Telemetry";
}
