using System.Diagnostics.Metrics;
using Predictor.Core.Configuration;
using Predictor.Core.Risk;
using Predictor.Core.Telemetry;
using Predictor.Learning.TimeSeries.Iid;

namespace Predictor.Learning.TimeSeries.Streaming;

/// <summary>
/// Streaming anomaly detection for the daemon: one IID spike, one IID change-point and (unless
/// <see cref="HostSignalDetectorOptions.NoveltyHistory"/> is 0) one novelty detector per (host, signal, component), fed sample by sample through <see cref="Write(string, DateTimeOffset, ReadOnlySpan{SignalReading})"/> (it is an
/// <see cref="ITelemetrySink"/>), O(history) memory per series and no allocation per sample once a series
/// exists. Cumulative <c>_total</c> counters are scored on their increases, so an ECC storm is a spike.
/// Outputs per host: features (<see cref="DetectorFeatureNames"/>, maximum over components) for models and
/// <see cref="Evidence"/> with operator-readable descriptions for assessments and alerts. Thread-safe.
/// </summary>
public sealed class HostSignalDetectors : ITelemetrySink
{
    // one lock per host: pushes for different hosts on different request threads do not wait for each other
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, HostSeries> _hosts = new(StringComparer.Ordinal);
    private readonly IidSpikeDetectorOptions _spike;
    private readonly IidChangePointDetectorOptions _change;
    private readonly Novelty.NoveltyDetectorOptions? _novelty;
    private readonly HostSignalDetectorOptions _options;
    private readonly Counter<long>? _alertCounter;
    private long _alerts;

    /// <summary>Creates the detectors; with a meter factory, publishes meter <c>Predictor.TimeSeries</c>.</summary>
    /// <param name="options">Detector options, validated here.</param>
    /// <param name="meterFactory">
    /// Optional: counter <c>predictor.timeseries.alerts</c> ({alert}, tag <c>kind</c> = spike|change_point) and
    /// gauge <c>predictor.timeseries.series</c> ({series}).
    /// </param>
    /// <exception cref="DetectorOptionsException">The options are invalid; every problem is listed.</exception>
    public HostSignalDetectors(HostSignalDetectorOptions options, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        DetectorOptionsException.ThrowIfAny([.. OptionsGuard.Errors(options)]);
        _options = options;
        _spike = new IidSpikeDetectorOptions { Confidence = options.SpikeConfidence, PvalueHistoryLength = options.SpikeHistoryLength };
        _change = new IidChangePointDetectorOptions
        {
            Confidence = options.ChangeConfidence,
            ChangeHistoryLength = options.ChangeHistoryLength,
            Martingale = options.Martingale,
            PowerMartingaleEpsilon = options.PowerMartingaleEpsilon,
        };
        _novelty = options.NoveltyHistory == 0 ? null : new Novelty.NoveltyDetectorOptions
        {
            History = options.NoveltyHistory,
            DistanceHistory = options.NoveltyHistory / 2,
            WarmUp = Math.Min(100, options.NoveltyHistory / 2),
            SuppressionWindow = options.NoveltyHistory / 10,
        };
        if (meterFactory is not null)
        {
            var meter = meterFactory.Create("Predictor.TimeSeries");
            _alertCounter = meter.CreateCounter<long>("predictor.timeseries.alerts", "{alert}", "Spike and change-point alerts of the per-host signal detectors.");
            meter.CreateObservableGauge("predictor.timeseries.series", () => SeriesCount, "{series}", "Host-signal series with detector state.");
        }
    }

    /// <summary>Number of (host, signal, component) series with detector state.</summary>
    public int SeriesCount
    {
        get
        {
            var count = 0;
            foreach (var host in _hosts.Values)
            {
                lock (host)
                {
                    count += host.Count;
                }
            }

            return count;
        }
    }

    /// <summary>
    /// The features <see cref="AddFeatures"/> can add for these signals, in a fixed order: per signal <c>.spike_score</c>,
    /// <c>.cp_martingale</c>, <c>.spike_alerts</c>, <c>.change_points</c>, and with the novelty detector on <c>.novelty_score</c>
    /// and <c>.novelty_alerts</c>. A model may use any of them (a signal a host does not report is missing, NaN).
    /// </summary>
    public IReadOnlyList<string> FeatureNamesFor(IEnumerable<string> signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var names = new List<string>();
        foreach (var signal in signals)
        {
            names.Add(DetectorFeatureNames.SpikeScore(signal));
            names.Add(DetectorFeatureNames.ChangeMartingale(signal));
            names.Add(DetectorFeatureNames.SpikeAlerts(signal));
            names.Add(DetectorFeatureNames.ChangePoints(signal));
            if (_novelty is not null)
            {
                names.Add(DetectorFeatureNames.NoveltyScore(signal));
                names.Add(DetectorFeatureNames.NoveltyAlerts(signal));
            }
        }

        return names;
    }

    /// <summary>Alerts raised since start (spikes and change points).</summary>
    public long AlertCount => Interlocked.Read(ref _alerts);

    /// <summary>Feeds one sample. Samples of one series must arrive in time order; non-finite values are ignored.</summary>
    public void Write(in TelemetrySample sample)
    {
        var reading = new SignalReading(sample.Signal, sample.Component, sample.Value);
        Write(sample.Host, sample.Time, new ReadOnlySpan<SignalReading>(in reading));
    }

    /// <summary>Feeds a point's readings under one lookup and one lock of the host.</summary>
    public void Write(string host, DateTimeOffset time, ReadOnlySpan<SignalReading> readings)
    {
        var series = _hosts.GetOrAdd(host, static _ => new HostSeries());
        int spikes = 0;
        int changes = 0;
        lock (series)
        {
            // each series scores at most once per MinInterval: until one of the host's is due, only a series the
            // host does not know yet is scored (it then starts right away, whatever its neighbours' schedule)
            bool notDue = time < series.NextDue;
            bool created = false;
            series.BeginPoint();
            foreach (ref readonly var reading in readings)
            {
                var state = series.Get(reading.Signal, reading.Component, this, out bool isNew);
                created |= isNew;
                if (notDue && !isNew)
                {
                    continue;
                }

                var (spike, change) = state.Update(time, reading.Value);
                spikes += spike ? 1 : 0;
                changes += change ? 1 : 0;
            }

            if (_options.MinInterval > TimeSpan.Zero && (!notDue || created))
            {
                series.NextDue = series.EarliestDue();
            }
        }

        if (spikes + changes > 0)
        {
            Interlocked.Add(ref _alerts, spikes + changes);
            if (spikes > 0)
            {
                _alertCounter?.Add(spikes, new KeyValuePair<string, object?>("kind", "spike"));
            }

            if (changes > 0)
            {
                _alertCounter?.Add(changes, new KeyValuePair<string, object?>("kind", "change_point"));
            }
        }
    }

    /// <summary>
    /// Adds the host's detector features to <paramref name="features"/>: for each signal seen,
    /// <c>.spike_score</c>, <c>.cp_martingale</c>, <c>.spike_alerts</c>, <c>.change_points</c> and, with the novelty detector on,
    /// <c>.novelty_score</c> and <c>.novelty_alerts</c> (alerts since
    /// <paramref name="now"/> − retention), each the maximum (counts: the sum) over components. Unknown hosts add nothing.
    /// </summary>
    public void AddFeatures(string host, DateTimeOffset now, IDictionary<string, double> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (!_hosts.TryGetValue(host, out var series))
        {
            return;
        }

        lock (series)
        {
            var since = now - _options.EvidenceRetention;
            Span<int> counts = stackalloc int[3];
            foreach (var (signal, _, state) in series.All)
            {
                Max(features, DetectorFeatureNames.SpikeScore(signal), state.SpikeScore);
                if (!double.IsNaN(state.Martingale))
                {
                    Max(features, DetectorFeatureNames.ChangeMartingale(signal), state.Martingale);
                }

                if (!double.IsNaN(state.NoveltyScore))
                {
                    Max(features, DetectorFeatureNames.NoveltyScore(signal), state.NoveltyScore);
                }

                counts.Clear();
                for (int i = 0; i < state.EventCount; i++)
                {
                    var e = state.EventAt(i);
                    if (e.Time >= since && e.Time <= now)
                    {
                        counts[(int)e.Kind]++;
                    }
                }

                Add(features, DetectorFeatureNames.SpikeAlerts(signal), counts[(int)DetectorEventKind.Spike]);
                Add(features, DetectorFeatureNames.ChangePoints(signal), counts[(int)DetectorEventKind.ChangePoint]);
                if (_novelty is not null)
                {
                    Add(features, DetectorFeatureNames.NoveltyAlerts(signal), counts[(int)DetectorEventKind.Novelty]);
                }
            }
        }
    }

    /// <summary>
    /// The host's alerts within the retention before <paramref name="now"/>, newest first, as evidence such as
    /// "change point in fan_rpm on fan2 at 12:40, level 8200 → 5100 rpm". Signal is the telemetry signal;
    /// Value the value (or counter increase) at the alert; Weight the detector's score in [0, 1].
    /// </summary>
    public IReadOnlyList<Evidence> GetEvidence(string host, DateTimeOffset now)
    {
        var found = new List<(DateTimeOffset Time, Evidence Evidence)>();
        if (!_hosts.TryGetValue(host, out var series))
        {
            return [];
        }

        lock (series)
        {
            var since = now - _options.EvidenceRetention;
            foreach (var (signal, component, state) in series.All)
            {
                for (int i = 0; i < state.EventCount; i++)
                {
                    var e = state.EventAt(i);
                    if (e.Time >= since && e.Time <= now)
                    {
                        string text = EvidenceText.Describe(signal, component, e, state.IsCounter);
                        found.Add((e.Time, new Evidence(signal, component, e.Kind == DetectorEventKind.ChangePoint ? e.After : e.Value, text, e.Score)));
                    }
                }
            }
        }

        return found.OrderByDescending(f => f.Time).Select(f => f.Evidence).ToList();
    }

    /// <summary>Drops all state of a host (decommissioned or replaced); returns whether it had any.</summary>
    public bool RemoveHost(string host)
    {
        return _hosts.TryRemove(host, out _);
    }

    private static void Max(IDictionary<string, double> features, string name, double value)
    {
        if (!features.TryGetValue(name, out double current) || value > current)
        {
            features[name] = value;
        }
    }

    private static void Add(IDictionary<string, double> features, string name, double value) =>
        features[name] = features.TryGetValue(name, out double current) ? current + value : value;

    private SignalSeries NewSeries(string signal) =>
        new(signal.EndsWith("_total", StringComparison.Ordinal), _spike, _change, _options.MaxEventsPerSeries, _options.MinInterval, _novelty);

    /// <summary>The series of one host; locked while read or written.</summary>
    private sealed class HostSeries
    {
        // the series in creation order, found by where the last point's readings were (see ReadingRoute), else by key
        private readonly List<(string Signal, string? Component, SignalSeries Series)> _order = [];
        private readonly Dictionary<(string Signal, string? Component), int> _index = [];
        private ReadingRoute _route;

        public IReadOnlyList<(string Signal, string? Component, SignalSeries Series)> All => _order;

        public int Count => _order.Count;

        /// <summary>The earliest time one of the host's series scores again.</summary>
        public DateTimeOffset NextDue { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset EarliestDue()
        {
            var due = DateTimeOffset.MaxValue;
            foreach (var entry in _order)
            {
                due = entry.Series.NextDue < due ? entry.Series.NextDue : due;
            }

            return due;
        }

        /// <summary>Starts a point's readings (see <see cref="ReadingRoute"/>).</summary>
        public void BeginPoint() => _route.BeginPoint();

        public SignalSeries Get(string signal, string? component, HostSignalDetectors owner, out bool created)
        {
            created = false;
            var i = _route.Remembered;
            if (!Holds(i, signal, component))
            {
                i = _route.Next;
                if (!Holds(i, signal, component))
                {
                    i = Find(signal, component, owner, out created);
                }
            }

            _route.Found(i);
            return _order[i].Series;
        }

        // usually the same string instances; equal ones when two sources name a signal (the simulator, a mapping)
        private bool Holds(int i, string signal, string? component) =>
            (uint)i < (uint)_order.Count && string.Equals(_order[i].Signal, signal, StringComparison.Ordinal) && string.Equals(_order[i].Component, component, StringComparison.Ordinal);

        private int Find(string signal, string? component, HostSignalDetectors owner, out bool created)
        {
            created = !_index.TryGetValue((signal, component), out var i);
            if (created)
            {
                i = _order.Count;
                _order.Add((signal, component, owner.NewSeries(signal)));
                _index.Add((signal, component), i);
            }

            return i;
        }
    }
}
