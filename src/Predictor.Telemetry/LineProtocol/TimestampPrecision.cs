namespace Predictor.Telemetry.LineProtocol;

/// <summary>Unit of line-protocol timestamps, as the <c>precision</c> query parameter names it (ns, us, ms, s).</summary>
public enum TimestampPrecision
{
    Nanoseconds,
    Microseconds,
    Milliseconds,
    Seconds,
}

/// <summary>Conversions between <see cref="DateTimeOffset"/> and line-protocol timestamps.</summary>
public static class TimestampPrecisions
{
    /// <summary>Nanoseconds in one unit of the precision.</summary>
    public static long NanosecondsPer(TimestampPrecision precision) => precision switch
    {
        TimestampPrecision.Nanoseconds => 1,
        TimestampPrecision.Microseconds => 1_000,
        TimestampPrecision.Milliseconds => 1_000_000,
        TimestampPrecision.Seconds => 1_000_000_000,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "unknown precision"),
    };

    public static long ToTimestamp(DateTimeOffset time, TimestampPrecision precision) =>
        (time - DateTimeOffset.UnixEpoch).Ticks * 100 / NanosecondsPer(precision);

    public static DateTimeOffset FromTimestamp(long value, TimestampPrecision precision) =>
        DateTimeOffset.UnixEpoch.AddTicks(checked(value * NanosecondsPer(precision)) / 100);

    /// <summary>The query-parameter spelling: ns, us, ms or s.</summary>
    public static string Name(TimestampPrecision precision) => precision switch
    {
        TimestampPrecision.Nanoseconds => "ns",
        TimestampPrecision.Microseconds => "us",
        TimestampPrecision.Milliseconds => "ms",
        TimestampPrecision.Seconds => "s",
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "unknown precision"),
    };

    /// <summary>Parses "ns", "n", "us", "u", "ms", "s" (InfluxDB v1 and v2 spellings).</summary>
    public static bool TryParse(string? text, out TimestampPrecision precision)
    {
        (var ok, precision) = text switch
        {
            null or "" or "ns" or "n" => (true, TimestampPrecision.Nanoseconds),
            "us" or "u" => (true, TimestampPrecision.Microseconds),
            "ms" => (true, TimestampPrecision.Milliseconds),
            "s" => (true, TimestampPrecision.Seconds),
            _ => (false, TimestampPrecision.Nanoseconds),
        };
        return ok;
    }
}
