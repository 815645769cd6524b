using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text;
using Predictor.Core.Configuration;
using Predictor.Core.Telemetry;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Telemetry.Mapping;

/// <summary>
/// Turns parsed points (line protocol, InfluxQL rows, Prometheus samples) into <see cref="TelemetrySample"/>s
/// written to an <see cref="ITelemetrySink"/>, per <see cref="SignalMappingOptions"/>. Samples of hosts outside
/// <c>knownHosts</c> and fields no rule claims are counted and listed in <see cref="Report"/>, never dropped
/// silently. Safe for concurrent use.
/// </summary>
public sealed class SignalMapper
{
    [ThreadStatic]
    private static KeyCacheEntry[]? t_keyCache;

    [ThreadStatic]
    private static SignalReading[]? t_readings;

    private readonly SignalMappingOptions _options;
    private readonly ITelemetrySink _sink;
    private readonly IReadOnlySet<string>? _knownHosts;
    private readonly byte[] _hostTag;

    /// <summary>The tag naming a point's host (UTF-8), e.g. <c>host</c>.</summary>
    public ReadOnlySpan<byte> HostTagKey => _hostTag;
    private readonly byte[][] _componentTags;
    private readonly FrozenDictionary<string, Rule[]> _rules;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _rulesLookupKeys;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _signals;
    private readonly StringPool _pool = new(2_000_000);
    private readonly ConcurrentDictionary<string, long> _unmappedFields = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _unknownHosts = new(StringComparer.Ordinal);
    private long _mapped;
    private long _unmapped;
    private long _unknownHost;
    private long _missingHostTag;
    private long _nonNumeric;

    public SignalMapper(SignalMappingOptions options, ITelemetrySink sink, IReadOnlySet<string>? knownHosts = null)
    {
        OptionsGuard.ThrowIfInvalid(options, nameof(options));

        _options = options;
        _sink = sink;
        _knownHosts = knownHosts;
        _hostTag = Encoding.UTF8.GetBytes(options.HostTag);
        _componentTags = options.ComponentTags.Select(Encoding.UTF8.GetBytes).ToArray();
        _rules = options.Rules
            .Select(r => new Rule(r.Measurement, r.Measurement is null ? null : Encoding.UTF8.GetBytes(r.Measurement), r.Signal,
                r.Tags.Select(t => (Encoding.UTF8.GetBytes(t.Key), Encoding.UTF8.GetBytes(t.Value), t.Key, t.Value)).ToArray(),
                r.ComponentTag, r.ComponentTag is null ? null : Encoding.UTF8.GetBytes(r.ComponentTag), r.Scale, r.Field))
            .GroupBy(r => r.Field, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _rulesLookupKeys = _rules.Keys.ToDictionary(k => k, k => k, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _signals = (options.FieldNameIsSignal ? options.Signals : [])
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(s => s, s => s, StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Maps every field of the reader's current point; returns how many samples were written.</summary>
    public int Map(ref LineProtocolReader point, DateTimeOffset receivedAt)
    {
        if (!point.TryGetTag(_hostTag, out var hostToken))
        {
            Interlocked.Add(ref _missingHostTag, point.FieldCount);
            return 0;
        }

        var host = _pool.Get(hostToken);
        if (_knownHosts is not null && !_knownHosts.Contains(host))
        {
            Interlocked.Add(ref _unknownHost, point.FieldCount);
            Note(_unknownHosts, host, point.FieldCount);
            return 0;
        }

        string? component = null;
        foreach (var tag in _componentTags)
        {
            if (point.TryGetTag(tag, out var c))
            {
                component = _pool.Get(c);
                break;
            }
        }

        var time = point.GetTime(receivedAt);
        var written = 0;
        var cache = t_keyCache ??= new KeyCacheEntry[64];
        var readings = t_readings is { } r && r.Length >= point.FieldCount ? r : t_readings = new SignalReading[Math.Max(64, point.FieldCount)];
        Span<char> key = stackalloc char[64];
        for (var i = 0; i < point.FieldCount; i++)
        {
            var field = point.GetField(i);
            string? signal = null;
            var scale = 1.0;
            var fieldComponent = component;

            // Lines of one source repeat their field keys in the same order: remember, per thread and position,
            // which signal a key without explicit rules resolved to, and skip decoding it next time.
            var known = i < cache.Length && cache[i] is { } entry && ReferenceEquals(entry.Owner, this) && field.Key.Raw.SequenceEqual(entry.Raw);
            if (known)
            {
                var hit = cache[i];
                if (hit.Signal is not null && field.TryGetNumber(out var cached))
                {
                    readings[written++] = new SignalReading(hit.Signal, fieldComponent, cached);
                    continue;
                }
            }

            var keyLength = KeyChars(field.Key, key);
            var keyChars = keyLength >= 0 ? key[..keyLength] : field.Key.ToString().AsSpan();
            if (_rulesLookupKeys.TryGetValue(keyChars, out var ruleKey))
            {
                foreach (var rule in _rules[ruleKey])
                {
                    if (rule.Matches(ref point))
                    {
                        signal = rule.Signal;
                        scale = rule.Scale;
                        if (rule.ComponentTagUtf8 is { } ct)
                        {
                            fieldComponent = point.TryGetTag(ct, out var c) ? _pool.Get(c) : null;
                        }

                        break;
                    }
                }
            }

            else if (!known && i < cache.Length)
            {
                _signals.TryGetValue(keyChars, out var plain);
                cache[i] = new KeyCacheEntry(this, field.Key.Raw.ToArray(), plain);
            }

            if (signal is null && !_signals.TryGetValue(keyChars, out signal))
            {
                Interlocked.Increment(ref _unmapped);
                Note(_unmappedFields, point.Measurement.ToString() + "." + keyChars.ToString(), 1);
                continue;
            }

            if (!field.TryGetNumber(out var value))
            {
                Interlocked.Increment(ref _nonNumeric);
                continue;
            }

            readings[written++] = new SignalReading(signal, fieldComponent, value * scale);
        }

        if (written > 0)
        {
            // the point's readings together: the sink finds the host once, not once per field
            _sink.Write(host, time, readings.AsSpan(0, written));
        }

        Interlocked.Add(ref _mapped, written);
        IngestMetrics.SamplesMapped.Add(written);
        return written;
    }

    /// <summary>Maps one named value with string tags (InfluxQL rows, Prometheus samples); returns whether a sample was written.</summary>
    public bool Map(string measurement, IReadOnlyDictionary<string, string> tags, string field, double value, DateTimeOffset time)
    {
        // InfluxQL's GROUP BY * reports a tag a series lacks as "": treat empty as absent.
        if (!tags.TryGetValue(_options.HostTag, out var hostText) || hostText.Length == 0)
        {
            Interlocked.Increment(ref _missingHostTag);
            return false;
        }

        var host = _pool.Get(hostText);
        if (_knownHosts is not null && !_knownHosts.Contains(host))
        {
            Interlocked.Increment(ref _unknownHost);
            Note(_unknownHosts, host, 1);
            return false;
        }

        string? component = _options.ComponentTags.Select(t => tags.GetValueOrDefault(t)).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        string? signal = null;
        var scale = 1.0;
        if (_rules.TryGetValue(field, out var rules))
        {
            foreach (var rule in rules)
            {
                if ((rule.Measurement is null || rule.Measurement == measurement) && rule.Tags.All(t => tags.TryGetValue(t.KeyText, out var v) && v == t.ValueText))
                {
                    signal = rule.Signal;
                    scale = rule.Scale;
                    component = rule.ComponentTag is null ? component : tags.GetValueOrDefault(rule.ComponentTag) is { Length: > 0 } c ? c : null;
                    break;
                }
            }
        }

        if (signal is null && !_signals.TryGetValue(field, out signal))
        {
            Interlocked.Increment(ref _unmapped);
            Note(_unmappedFields, measurement + "." + field, 1);
            return false;
        }

        _sink.Write(new TelemetrySample(host, signal, component is null ? null : _pool.Get(component), time, value * scale));
        Interlocked.Increment(ref _mapped);
        IngestMetrics.SamplesMapped.Add(1);
        return true;
    }

    /// <summary>Writes a sample already resolved to a signal (a scrape rule did the mapping); unknown hosts are counted.</summary>
    public bool MapSignal(string host, string signal, string? component, double value, DateTimeOffset time)
    {
        if (_knownHosts is not null && !_knownHosts.Contains(host))
        {
            Interlocked.Increment(ref _unknownHost);
            Note(_unknownHosts, host, 1);
            return false;
        }

        _sink.Write(new TelemetrySample(_pool.Get(host), signal, component is null ? null : _pool.Get(component), time, value));
        Interlocked.Increment(ref _mapped);
        IngestMetrics.SamplesMapped.Add(1);
        return true;
    }

    public MappingReport Report() => new(
        Interlocked.Read(ref _mapped),
        Interlocked.Read(ref _unmapped),
        Interlocked.Read(ref _unknownHost),
        Interlocked.Read(ref _missingHostTag),
        Interlocked.Read(ref _nonNumeric),
        _unmappedFields.ToImmutableDictionary(StringComparer.Ordinal),
        _unknownHosts.ToImmutableDictionary(StringComparer.Ordinal));

    private void Note(ConcurrentDictionary<string, long> counts, string key, long by)
    {
        (counts == _unknownHosts ? IngestMetrics.SamplesUnknownHost : IngestMetrics.SamplesUnmapped).Add(by);
        if (counts.ContainsKey(key) || counts.Count < _options.ReportLimit)
        {
            counts.AddOrUpdate(key, by, (_, n) => n + by);
        }
    }

    private static int KeyChars(LineToken token, Span<char> destination)
    {
        if (token.Raw.Length > destination.Length)
        {
            return -1;
        }

        Span<byte> bytes = stackalloc byte[64];
        var n = token.CopyUnescaped(bytes);
        return Encoding.UTF8.GetChars(bytes[..n], destination);
    }

    private sealed record KeyCacheEntry(SignalMapper Owner, byte[] Raw, string? Signal);

    private sealed record Rule(
        string? Measurement,
        byte[]? MeasurementUtf8,
        string Signal,
        (byte[] Key, byte[] Value, string KeyText, string ValueText)[] Tags,
        string? ComponentTag,
        byte[]? ComponentTagUtf8,
        double Scale,
        string Field)
    {
        public bool Matches(ref LineProtocolReader point)
        {
            if (MeasurementUtf8 is not null && !point.Measurement.Equals(MeasurementUtf8))
            {
                return false;
            }

            foreach (var (key, value, _, _) in Tags)
            {
                if (!point.TryGetTag(key, out var v) || !v.Equals(value))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
