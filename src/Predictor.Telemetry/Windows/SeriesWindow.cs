using System.Runtime.InteropServices;

namespace Predictor.Telemetry.Windows;

/// <summary>
/// Bounded history of one series (host, signal, component) at three resolutions (<see cref="WindowLayout"/>): fine
/// buckets for the last hour, hourly buckets for the last day, coarse buckets for the last week; plus the last point.
/// Buckets hold float32 sums and counter increases (coarse: last values instead) with uint16 counts, all in one array,
/// so a series costs well under a kilobyte. Counter increases are computed at ingest in double precision with resets
/// handled (a drop means the counter restarted from zero), so rates never go negative. Not thread-safe: the store locks.
/// </summary>
internal sealed class SeriesWindow
{
    private readonly float[] _data;
    private long _lastTicks;
    private double _last = double.NaN;
    private float _first;

    public SeriesWindow(WindowLayout layout) => _data = new float[layout.ArrayLength];

    public DateTimeOffset? LastTime => _lastTicks == 0 ? null : new DateTimeOffset(_lastTicks, TimeSpan.Zero);

    public double Last => _last;

    /// <summary>Adds a point; points not newer than the last one are rejected (returns false).</summary>
    public bool Add(WindowLayout layout, DateTimeOffset time, double value)
    {
        var ticks = time.UtcTicks;
        double increase = 0;
        if (_lastTicks != 0)
        {
            if (ticks <= _lastTicks)
            {
                return false;
            }

            increase = value >= _last ? value - _last : Math.Max(0, value);
        }
        else
        {
            _first = (float)value;
        }

        AddToTier(layout.Fine, ticks, value, increase);
        AddToTier(layout.Hourly, ticks, value, increase);
        AddToTier(layout.Coarse, ticks, value, increase);
        _lastTicks = ticks;
        _last = value;
        return true;
    }

    /// <summary>Mean of the fine buckets after the one holding now − window; NaN when none has points.</summary>
    public double RecentMean(WindowLayout layout, DateTimeOffset now, TimeSpan window)
    {
        var tier = layout.Fine;
        double sum = 0;
        long n = 0;
        foreach (var slot in Slots(tier, now - window))
        {
            sum += _data[tier.SumOffset + slot];
            n += Count(tier, slot);
        }

        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>Counter increase over the fine buckets after the one holding now − window, reset-aware; NaN when the series is empty.</summary>
    public double RecentIncrease(WindowLayout layout, DateTimeOffset now, TimeSpan window) => IncreaseIn(layout.Fine, now - window);

    /// <summary>Counter increase over the hourly buckets after the one holding now − window, reset-aware; NaN when the series is empty.</summary>
    public double Increase(WindowLayout layout, DateTimeOffset now, TimeSpan window) => IncreaseIn(layout.Hourly, now - window);

    /// <summary>
    /// Value change over the window: the last value minus the last value of the newest coarse bucket at or before the
    /// one holding now − window, or minus the first value seen when the series is younger than the window.
    /// </summary>
    public double Delta(WindowLayout layout, DateTimeOffset now, TimeSpan window)
    {
        if (_lastTicks == 0)
        {
            return double.NaN;
        }

        var tier = layout.Coarse;
        var from = tier.BucketOf((now - window).UtcTicks);
        var newest = tier.BucketOf(_lastTicks);
        for (var k = Math.Min(from, newest); k > newest - tier.Count; k--)
        {
            var slot = tier.Slot(k);
            if (Count(tier, slot) > 0)
            {
                return _last - _data[tier.LastOffset + slot];
            }
        }

        return _last - _first;
    }

    /// <summary>Least-squares slope of hourly means over the window, per hour; NaN with fewer than 3 hours.</summary>
    public double HourlySlope(WindowLayout layout, DateTimeOffset now, TimeSpan window)
    {
        var tier = layout.Hourly;
        var fromBucket = tier.BucketOf((now - window).UtcTicks);
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (var slot in Slots(tier, now - window))
        {
            var k = BucketOfSlot(tier, slot);
            double x = k - fromBucket, y = _data[tier.SumOffset + slot] / Count(tier, slot);
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }

        var denominator = n * sxx - sx * sx;
        return n < 3 || denominator == 0 ? double.NaN : (n * sxy - sx * sy) / denominator;
    }

    /// <summary>
    /// The buckets with points of one tier, oldest first, each with its end time, mean, counter increase (NaN for the
    /// coarse tier, which keeps the last value instead) and last value (NaN for the others).
    /// </summary>
    public IEnumerable<(DateTimeOffset End, double Mean, double Increase, double Last, int Count)> Buckets(WindowLayout.Tier tier)
    {
        if (_lastTicks == 0)
        {
            yield break;
        }

        var newest = tier.BucketOf(_lastTicks);
        for (var k = newest - tier.Count + 1; k <= newest; k++)
        {
            var slot = tier.Slot(k);
            var count = Count(tier, slot);
            if (count > 0)
            {
                yield return (
                    new DateTimeOffset((k + 1) * tier.Width, TimeSpan.Zero),
                    _data[tier.SumOffset + slot] / count,
                    tier.IncreaseOffset >= 0 ? _data[tier.IncreaseOffset + slot] : double.NaN,
                    tier.LastOffset >= 0 ? _data[tier.LastOffset + slot] : double.NaN,
                    count);
            }
        }
    }

    private double IncreaseIn(WindowLayout.Tier tier, DateTimeOffset from)
    {
        if (_lastTicks == 0)
        {
            return double.NaN;
        }

        double total = 0;
        foreach (var slot in Slots(tier, from))
        {
            total += _data[tier.IncreaseOffset + slot];
        }

        return total;
    }

    /// <summary>Slots of the tier's buckets with points after the bucket holding <paramref name="from"/>, oldest first.</summary>
    private List<int> Slots(WindowLayout.Tier tier, DateTimeOffset from)
    {
        var slots = new List<int>(tier.Count);
        if (_lastTicks == 0)
        {
            return slots;
        }

        var newest = tier.BucketOf(_lastTicks);
        for (var k = Math.Max(tier.BucketOf(from.UtcTicks) + 1, newest - tier.Count + 1); k <= newest; k++)
        {
            var slot = tier.Slot(k);
            if (Count(tier, slot) > 0)
            {
                slots.Add(slot);
            }
        }

        return slots;
    }

    private long BucketOfSlot(WindowLayout.Tier tier, int slot)
    {
        var newest = tier.BucketOf(_lastTicks);
        var back = (tier.Slot(newest) - slot + tier.Count) % tier.Count;
        return newest - back;
    }

    private void AddToTier(WindowLayout.Tier tier, long ticks, double value, double increase)
    {
        var bucket = tier.BucketOf(ticks);
        var counts = Counts();
        if (_lastTicks != 0)
        {
            // buckets skipped since the last point (and the one this point opens) start empty
            var newest = tier.BucketOf(_lastTicks);
            for (var k = Math.Max(newest + 1, bucket - tier.Count + 1); k <= bucket; k++)
            {
                Clear(tier, tier.Slot(k), counts);
            }
        }

        var slot = tier.Slot(bucket);
        ref var count = ref counts[tier.CountOffset + slot];
        if (count < ushort.MaxValue)
        {
            // a bucket's mean is of its first 65,535 points (a 12-hour bucket at one point per second fits)
            _data[tier.SumOffset + slot] = (float)(_data[tier.SumOffset + slot] + value);
            count++;
        }

        if (tier.IncreaseOffset >= 0)
        {
            _data[tier.IncreaseOffset + slot] = (float)(_data[tier.IncreaseOffset + slot] + increase);
        }

        if (tier.LastOffset >= 0)
        {
            _data[tier.LastOffset + slot] = (float)value;
        }
    }

    private void Clear(WindowLayout.Tier tier, int slot, Span<ushort> counts)
    {
        counts[tier.CountOffset + slot] = 0;
        _data[tier.SumOffset + slot] = 0;
        if (tier.IncreaseOffset >= 0)
        {
            _data[tier.IncreaseOffset + slot] = 0;
        }
    }

    private int Count(WindowLayout.Tier tier, int slot) => Counts()[tier.CountOffset + slot];

    /// <summary>The whole array seen as uint16; the tiers' <see cref="WindowLayout.Tier.CountOffset"/> index it past the float slots.</summary>
    private Span<ushort> Counts() => MemoryMarshal.Cast<float, ushort>(_data.AsSpan());
}
