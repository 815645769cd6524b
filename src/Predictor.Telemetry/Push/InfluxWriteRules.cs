using System.Runtime.InteropServices;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Telemetry.Push;

/// <summary>
/// What InfluxDB 1.x refuses only when it stores a line that parsed: a tag key <c>time</c>, a line whose only field is
/// <c>time</c> (a <c>time</c> field beside others is dropped silently), and, within one write, a field whose type
/// differs from the type the same measurement's field had earlier in the write and the same shard (InfluxDB's default
/// retention policy keeps a week per shard, Monday to Monday). Checking them before answering means the writer hears of
/// it instead of the points being acknowledged and then refused by InfluxDB. A conflict with what InfluxDB already holds
/// from earlier writes cannot be known here; the forwarder keeps such lines in its dead-letter file.
/// One instance per batch and thread; reset between batches.
/// </summary>
internal sealed class InfluxWriteRules
{
    private const long WeekNanoseconds = 7L * 24 * 3600 * 1_000_000_000;

    // Go measures shard boundaries from 0001-01-01, a Monday; the Unix epoch is a Thursday, three days later
    private const long EpochAfterShardStart = 3L * 24 * 3600 * 1_000_000_000;

    private readonly Dictionary<FieldKey, LineFieldKind> _types;
    private readonly Comparer _comparer = new();

    public InfluxWriteRules() => _types = new Dictionary<FieldKey, LineFieldKind>(_comparer);

    /// <summary>Starts a batch: <paramref name="body"/> is what every point read from now on lies in.</summary>
    public void Reset(ReadOnlyMemory<byte> body)
    {
        _types.Clear();
        _comparer.Body = body;
    }

    /// <summary>Why InfluxDB would refuse the reader's current point when storing it; null when it would not (and the point's field types are remembered).</summary>
    public string? Refusal(ref LineProtocolReader point, long receivedAtNanoseconds, bool checkTypes)
    {
        for (var i = 0; i < point.TagCount; i++)
        {
            if (point.GetTag(i).Key.Equals("time"u8))
            {
                return $"invalid tag key: input tag \"time\" on measurement \"{point.Measurement.ToString()}\" is invalid (InfluxDB refuses it)";
            }
        }

        var onlyTime = true;
        for (var i = 0; i < point.FieldCount && onlyTime; i++)
        {
            onlyTime = point.GetField(i).Key.Equals("time"u8);
        }

        if (onlyTime)
        {
            return $"invalid field name: input field \"time\" on measurement \"{point.Measurement.ToString()}\" is invalid (InfluxDB refuses a point whose only field is time)";
        }

        return checkTypes ? Conflict(ref point, receivedAtNanoseconds) : null;
    }

    private string? Conflict(ref LineProtocolReader point, long receivedAtNanoseconds)
    {
        var body = _comparer.Body.Span;
        var nanoseconds = point.HasTimestamp
            ? point.Timestamp * TimestampPrecisions.NanosecondsPer(point.Precision)
            : receivedAtNanoseconds;
        var shifted = (Int128)nanoseconds + EpochAfterShardStart;
        var shard = (long)(shifted >= 0 ? shifted / WeekNanoseconds : ((shifted + 1) / WeekNanoseconds) - 1);
        var measurement = point.Measurement.Raw;
        _ = body.Overlaps(measurement, out var measurementAt);
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < point.FieldCount; i++)
            {
                var field = point.GetField(i);
                _ = body.Overlaps(field.Key.Raw, out var keyAt);
                var key = new FieldKey(measurementAt, measurement.Length, keyAt, field.Key.Raw.Length, shard);
                if (pass == 1)
                {
                    _types.TryAdd(key, field.Kind);
                    continue;
                }

                var known = _types.TryGetValue(key, out var kind);
                for (var j = 0; j < i && !known; j++)
                {
                    var earlier = point.GetField(j);
                    if (earlier.Key.Raw.SequenceEqual(field.Key.Raw))
                    {
                        (known, kind) = (true, earlier.Kind);
                    }
                }

                if (known && kind != field.Kind)
                {
                    return $"field type conflict: input field \"{field.Key.ToString()}\" on measurement \"{point.Measurement.ToString()}\" is type {TypeName(field.Kind)}, already exists as type {TypeName(kind)} earlier in this write";
                }
            }
        }

        return null;
    }

    private static string TypeName(LineFieldKind kind) => kind switch
    {
        LineFieldKind.Float => "float",
        LineFieldKind.Integer => "integer",
        LineFieldKind.Unsigned => "unsigned",
        LineFieldKind.String => "string",
        _ => "boolean",
    };

    /// <summary>A measurement's field in one shard, by where the raw names lie in the batch.</summary>
    [StructLayout(LayoutKind.Auto)]
    private readonly record struct FieldKey(int MeasurementAt, int MeasurementLength, int KeyAt, int KeyLength, long Shard);

    /// <summary>Compares keys by the bytes they point at, so the dictionary holds no strings.</summary>
    private sealed class Comparer : IEqualityComparer<FieldKey>
    {
        public ReadOnlyMemory<byte> Body { get; set; }

        public bool Equals(FieldKey x, FieldKey y)
        {
            var body = Body.Span;
            return x.Shard == y.Shard
                && body.Slice(x.MeasurementAt, x.MeasurementLength).SequenceEqual(body.Slice(y.MeasurementAt, y.MeasurementLength))
                && body.Slice(x.KeyAt, x.KeyLength).SequenceEqual(body.Slice(y.KeyAt, y.KeyLength));
        }

        public int GetHashCode(FieldKey key)
        {
            var body = Body.Span;
            var hash = new HashCode();
            hash.AddBytes(body.Slice(key.MeasurementAt, key.MeasurementLength));
            hash.AddBytes(body.Slice(key.KeyAt, key.KeyLength));
            hash.Add(key.Shard);
            return hash.ToHashCode();
        }
    }
}
