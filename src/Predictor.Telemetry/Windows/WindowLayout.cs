using System.Runtime.InteropServices;

namespace Predictor.Telemetry.Windows;

/// <summary>
/// The resolutions every series of a store keeps, and where each lives in a series' one array of
/// <see cref="WindowBucket"/>s: the fine tier's buckets, then the hourly tier's, then the coarse tier's.
/// Bucket k of a tier of width w holds the points with time in (k·w, (k+1)·w], so a window (now − span, now]
/// with <c>now</c> on a bucket boundary is made of whole buckets. The widths nest (a fine bucket lies within one
/// hour, an hour within one coarse bucket), so a point in the last point's fine bucket is in its other buckets too.
/// </summary>
internal sealed class WindowLayout
{
    public WindowLayout(HostWindowOptions options)
    {
        var (fine, hourly, coarse) = (options.FineBuckets, options.HourlyBuckets, options.CoarseBuckets);
        Fine = new Tier(options.FineBucket.Ticks, fine, Offset: 0, KeepsLast: false);
        Hourly = new Tier(TimeSpan.TicksPerHour, hourly, Offset: fine, KeepsLast: false);
        Coarse = new Tier(options.CoarseBucket.Ticks, coarse, Offset: fine + hourly, KeepsLast: true);
        BucketCount = fine + hourly + coarse;
    }

    /// <summary>Recent minutes (the 1-hour features).</summary>
    public Tier Fine { get; }

    /// <summary>Hours (the 24-hour features).</summary>
    public Tier Hourly { get; }

    /// <summary>Hours to days (the 3-day features and the week of history).</summary>
    public Tier Coarse { get; }

    /// <summary>Length of a series' bucket array: every tier's buckets.</summary>
    public int BucketCount { get; }

    /// <summary>
    /// One resolution: bucket width in ticks, bucket count, index of its first bucket in a series' array, and whether
    /// its buckets keep the last value (coarse) rather than the counter increase (fine, hourly).
    /// </summary>
    internal readonly record struct Tier(long Width, int Count, int Offset, bool KeepsLast)
    {
        /// <summary>The bucket holding time <paramref name="ticks"/> (UTC ticks, positive).</summary>
        public long BucketOf(long ticks) => (ticks - 1) / Width;

        public int Slot(long bucket) => (int)(bucket % Count);
    }
}

/// <summary>
/// One bucket of a series: the float32 sum of its points, the counter increase over them (fine and hourly tiers) or
/// the last value (coarse tier), and the uint16 point count, packed in 10 bytes; a series' buckets are one array, and
/// the bucket a point falls in is held in the window itself until it closes.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 2)]
internal struct WindowBucket
{
    public float Sum;

    /// <summary>Counter increase (fine, hourly) or last value (coarse).</summary>
    public float Extra;

    public ushort Count;
}
