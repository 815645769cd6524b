namespace Predictor.Telemetry.LineProtocol;

/// <summary>Unit of line-protocol timestamps, as the <c>precision</c> query parameter names it.</summary>
public enum TimestampPrecision
{
    Nanoseconds,
    Microseconds,
    Milliseconds,
    Seconds,

    /// <summary>InfluxDB 1.x's <c>precision=m</c> (v1 writes only).</summary>
    Minutes,

    /// <summary>InfluxDB 1.x's <c>precision=h</c> (v1 writes only).</summary>
    Hours,
}

/// <summary>Conversions between <see cref="DateTimeOffset"/> and line-protocol timestamps.</summary>
public static class TimestampPrecisions
{
    /// <summary>The earliest time InfluxDB stores, in nanoseconds since the epoch (1677-09-21; two lower values are its sentinels).</summary>
    public const long MinNanoseconds = long.MinValue + 2;

    /// <summary>The latest time InfluxDB stores, in nanoseconds since the epoch (2262-04-11).</summary>
    public const long MaxNanoseconds = long.MaxValue - 1;

    /// <summary>Nanoseconds in one unit of the precision.</summary>
    public static long NanosecondsPer(TimestampPrecision precision) => precision switch
    {
        TimestampPrecision.Nanoseconds => 1,
        TimestampPrecision.Microseconds => 1_000,
        TimestampPrecision.Milliseconds => 1_000_000,
        TimestampPrecision.Seconds => 1_000_000_000,
        TimestampPrecision.Minutes => 60_000_000_000,
        TimestampPrecision.Hours => 3_600_000_000_000,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "unknown precision"),
    };

    public static long ToTimestamp(DateTimeOffset time, TimestampPrecision precision) =>
        (time - DateTimeOffset.UnixEpoch).Ticks * 100 / NanosecondsPer(precision);

    public static DateTimeOffset FromTimestamp(long value, TimestampPrecision precision) =>
        DateTimeOffset.UnixEpoch.AddTicks(checked(value * NanosecondsPer(precision)) / 100);

    /// <summary>Whether the timestamp is a time InfluxDB stores (<see cref="MinNanoseconds"/> to <see cref="MaxNanoseconds"/>).</summary>
    public static bool InRange(long value, TimestampPrecision precision)
    {
        var high = Math.BigMul(value, NanosecondsPer(precision), out var low);
        return high == low >> 63 && low is >= MinNanoseconds and <= MaxNanoseconds;
    }

    /// <summary>The spelling of InfluxDB's v2 API and of messages: ns, us, ms, s (and m, h).</summary>
    public static string Name(TimestampPrecision precision) => precision switch
    {
        TimestampPrecision.Nanoseconds => "ns",
        TimestampPrecision.Microseconds => "us",
        TimestampPrecision.Milliseconds => "ms",
        TimestampPrecision.Seconds => "s",
        TimestampPrecision.Minutes => "m",
        TimestampPrecision.Hours => "h",
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "unknown precision"),
    };

    /// <summary>
    /// The spelling InfluxDB 1.x's <c>/write</c> understands: n, u, ms, s, m, h. It reads any other value, <c>us</c>
    /// included, as nanoseconds, so forwarding microseconds as <c>us</c> would store them 1,000 times too early.
    /// </summary>
    public static string V1Name(TimestampPrecision precision) => precision switch
    {
        TimestampPrecision.Nanoseconds => "n",
        TimestampPrecision.Microseconds => "u",
        _ => Name(precision),
    };

    /// <summary>
    /// Parses the <c>precision</c> of a v1 <c>/write</c>: empty, n, ns, u, ms, s, m or h, as InfluxDB 1.x reads them.
    /// InfluxDB 1.x takes any other value (<c>us</c>, a typo) for nanoseconds; here it is refused.
    /// </summary>
    public static bool TryParseV1(string? text, out TimestampPrecision precision)
    {
        (var ok, precision) = text switch
        {
            null or "" or "n" or "ns" => (true, TimestampPrecision.Nanoseconds),
            "u" => (true, TimestampPrecision.Microseconds),
            "ms" => (true, TimestampPrecision.Milliseconds),
            "s" => (true, TimestampPrecision.Seconds),
            "m" => (true, TimestampPrecision.Minutes),
            "h" => (true, TimestampPrecision.Hours),
            _ => (false, TimestampPrecision.Nanoseconds),
        };
        return ok;
    }

    /// <summary>Parses the <c>precision</c> of a v2 <c>/api/v2/write</c>: empty, ns, us, ms or s.</summary>
    public static bool TryParseV2(string? text, out TimestampPrecision precision)
    {
        (var ok, precision) = text switch
        {
            null or "" or "ns" => (true, TimestampPrecision.Nanoseconds),
            "us" => (true, TimestampPrecision.Microseconds),
            "ms" => (true, TimestampPrecision.Milliseconds),
            "s" => (true, TimestampPrecision.Seconds),
            _ => (false, TimestampPrecision.Nanoseconds),
        };
        return ok;
    }
}
