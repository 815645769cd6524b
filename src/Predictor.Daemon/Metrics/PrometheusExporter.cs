using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Predictor.Daemon.Metrics;

/// <summary>
/// Serves every Predictor instrument (meters named "Predictor…") in the Prometheus text exposition format
/// (version 0.0.4) at <c>/metrics</c>: counters as <c>_total</c>, up-down counters and gauges as gauges,
/// histograms with cumulative buckets, observable instruments read at scrape time. Units become suffixes
/// (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>).
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private static readonly double[] s_secondsBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];
    private static readonly double[] s_defaultBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 100_000, 1_000_000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Family> _families = new();
    private readonly Lock _scrape = new();

    /// <param name="meterPrefix">Meters whose name starts with this are exported.</param>
    public PrometheusExporter(string meterPrefix = "Predictor")
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith(meterPrefix, StringComparison.Ordinal))
            {
                _families[instrument] = new Family(instrument);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _families.TryRemove(instrument, out Family? _);
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<short>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>The exposition text of every exported instrument, observable ones read now.</summary>
    public string Scrape()
    {
        lock (_scrape)
        {
            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var group in _families.Values.GroupBy(f => f.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var first = group.First();
                if (first.Description is { Length: > 0 } help)
                {
                    text.Append("# HELP ").Append(group.Key).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
                }

                text.Append("# TYPE ").Append(group.Key).Append(' ').Append(first.Type).Append('\n');
                // two meters may define the same instrument (one per component instance): each label set once
                var written = new HashSet<string>(StringComparer.Ordinal);
                foreach (var family in group.Where(f => f.Type == first.Type))
                {
                    family.Write(text, written);
                }
            }

            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        if (_families.TryGetValue(instrument, out var family))
        {
            family.Record(Convert.ToDouble(value, CultureInfo.InvariantCulture), Labels(tags));
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return "";
        }

        var pairs = new List<(string Key, string Value)>(tags.Length);
        foreach (var tag in tags)
        {
            pairs.Add((Sanitize(tag.Key), Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? ""));
        }

        pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return string.Join(',', pairs.Select(p => $"{p.Key}=\"{p.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\""));
    }

    /// <summary>A metric name or label key with every character Prometheus does not allow replaced by '_'.</summary>
    internal static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or ':' || (i > 0 && c is >= '0' and <= '9');
            chars[i] = ok ? c : '_';
        }

        return new string(chars);
    }

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>One instrument's series: a value per label set, or a histogram per label set.</summary>
    private sealed class Family
    {
        private readonly ConcurrentDictionary<string, double[]> _series = new(StringComparer.Ordinal);
        private readonly double[]? _bounds;
        private readonly bool _sum;

        public Family(Instrument instrument)
        {
            var unit = instrument.Unit switch
            {
                "s" => "_seconds",
                "ms" => "_milliseconds",
                "By" => "_bytes",
                _ => "",
            };
            var name = Sanitize(instrument.Name.Replace('.', '_').Replace('-', '_'));
            if (unit.Length > 0 && !name.EndsWith(unit, StringComparison.Ordinal))
            {
                name += unit;
            }

            Description = instrument.Description;
            var type = instrument.GetType();
            var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
            if (generic == typeof(Histogram<>))
            {
                Type = "histogram";
                _bounds = instrument.Unit == "s" ? s_secondsBuckets : s_defaultBuckets;
                Name = name;
            }
            else if (generic == typeof(Counter<>) || generic == typeof(ObservableCounter<>))
            {
                Type = "counter";
                Name = name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total";
                _sum = generic == typeof(Counter<>);
            }
            else
            {
                Type = "gauge";
                Name = name;
                _sum = generic == typeof(UpDownCounter<>);
            }
        }

        public string Name { get; }

        public string Type { get; }

        public string? Description { get; }

        public void Record(double value, string labels)
        {
            var cell = _series.GetOrAdd(labels, _ => new double[_bounds is null ? 1 : _bounds.Length + 3]);
            if (_bounds is null)
            {
                // counters and gauges without a lock: a hot path (a counter per sample) must not serialise its callers
                if (!_sum)
                {
                    Volatile.Write(ref cell[0], value);
                    return;
                }

                double seen, sum;
                do
                {
                    seen = Volatile.Read(ref cell[0]);
                    sum = seen + value;
                }
                while (Interlocked.CompareExchange(ref cell[0], sum, seen) != seen);
                return;
            }

            lock (cell)
            {
                var bucket = Array.BinarySearch(_bounds, value);
                bucket = bucket >= 0 ? bucket : ~bucket; // le: the first bound >= value
                cell[bucket]++;
                cell[^2] += value;
                cell[^1]++;
            }
        }

        public void Write(StringBuilder text, HashSet<string> written)
        {
            foreach (var (labels, cell) in _series.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                if (!written.Add(labels))
                {
                    continue;
                }

                lock (cell)
                {
                    if (_bounds is null)
                    {
                        text.Append(Name).Append(labels.Length == 0 ? "" : "{" + labels + "}").Append(' ').Append(Format(cell[0])).Append('\n');
                        continue;
                    }

                    var cumulative = 0d;
                    var prefix = labels.Length == 0 ? "" : labels + ",";
                    for (var b = 0; b <= _bounds.Length; b++)
                    {
                        cumulative += cell[b];
                        var le = b < _bounds.Length ? Format(_bounds[b]) : "+Inf";
                        text.Append(Name).Append("_bucket{").Append(prefix).Append("le=\"").Append(le).Append("\"} ").Append(Format(cumulative)).Append('\n');
                    }

                    var suffix = labels.Length == 0 ? "" : "{" + labels + "}";
                    text.Append(Name).Append("_sum").Append(suffix).Append(' ').Append(Format(cell[^2])).Append('\n');
                    text.Append(Name).Append("_count").Append(suffix).Append(' ').Append(Format(cell[^1])).Append('\n');
                }
            }
        }
    }
}
