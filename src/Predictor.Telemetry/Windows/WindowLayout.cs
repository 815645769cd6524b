namespace Predictor.Telemetry.Windows;

/// <summary>
/// The resolutions every series of a store keeps, and where each lives in a series' one array: per tier the sums and
/// either the counter increases (fine, hourly) or the last values (coarse) as float32, then the point counts as uint16.
/// Bucket k of a tier of width w holds the points with time in (k·w, (k+1)·w], so a window (now − span, now]
/// with <c>now</c> on a bucket boundary is made of whole buckets.
/// </summary>
internal sealed class WindowLayout
{
    public WindowLayout(HostWindowOptions options)
    {
        var (fine, hourly, coarse) = (options.FineBuckets, options.HourlyBuckets, options.CoarseBuckets);
        FloatCount = 2 * fine + 2 * hourly + 2 * coarse;
        var counts = 2 * FloatCount; // uint16 index of the first count
        Fine = new Tier(options.FineBucket.Ticks, fine, SumOffset: 0, IncreaseOffset: fine, LastOffset: -1, CountOffset: counts);
        Hourly = new Tier(TimeSpan.TicksPerHour, hourly, 2 * fine, 2 * fine + hourly, -1, counts + fine);
        Coarse = new Tier(options.CoarseBucket.Ticks, coarse, 2 * fine + 2 * hourly, IncreaseOffset: -1, LastOffset: 2 * fine + 2 * hourly + coarse, counts + fine + hourly);
        ArrayLength = FloatCount + (fine + hourly + coarse + 1) / 2;
    }

    /// <summary>Recent minutes (the 1-hour features).</summary>
    public Tier Fine { get; }

    /// <summary>Hours (the 24-hour features).</summary>
    public Tier Hourly { get; }

    /// <summary>Hours to days (the 3-day features and the week of history).</summary>
    public Tier Coarse { get; }

    /// <summary>Float32 slots before the packed counts.</summary>
    public int FloatCount { get; }

    /// <summary>Length of a series' array: the float slots plus the uint16 counts two to a slot.</summary>
    public int ArrayLength { get; }

    /// <summary>
    /// One resolution: bucket width in ticks, bucket count, offsets of its float columns (−1 for a column it does not
    /// keep) and of its counts in the array seen as uint16.
    /// </summary>
    internal readonly record struct Tier(long Width, int Count, int SumOffset, int IncreaseOffset, int LastOffset, int CountOffset)
    {
        /// <summary>The bucket holding time <paramref name="ticks"/> (UTC ticks, positive).</summary>
        public long BucketOf(long ticks) => (ticks - 1) / Width;

        public int Slot(long bucket) => (int)(bucket % Count);
    }
}
