namespace Predictor.Telemetry.Windows;

/// <summary>
/// Bounded history of one series (host, signal, component) at three resolutions (<see cref="WindowLayout"/>): fine
/// buckets for the last hour, hourly buckets for the last day, coarse buckets for the last week; plus the last point.
/// Buckets hold float32 sums and counter increases (coarse: last values instead) with uint16 counts, 10 bytes each in
/// one array, so a series costs well under a kilobyte. Counter increases are computed at ingest in double precision
/// with resets handled (a drop means the counter restarted from zero), so rates never go negative. A point updates
/// only the open fine bucket, held in the window itself, so it touches no bucket array until its fine bucket closes;
/// a point that opens a new fine bucket stores the closed one and rolls it up into its hourly and coarse buckets, and
/// readers see the open fine bucket within those. A struct, so that the store keeps a host's windows inline in one
/// array and a point's readings touch adjacent memory: mutate it through a reference (a copy reads the same buckets
/// but does not see later points). Not thread-safe: the store locks.
/// </summary>
internal struct SeriesWindow
{
    private readonly WindowBucket[] _buckets;
    private WindowBucket _open;
    private long _lastTicks;
    private long _changedTicks;
    private double _last = double.NaN;
    private float _first;

    // where the last point went: the end (inclusive) of its fine bucket and its bucket index in each tier
    private long _fineEnd;
    private ushort _fine;
    private ushort _hourly;
    private ushort _coarse;

    public SeriesWindow(WindowLayout layout) => _buckets = new WindowBucket[layout.BucketCount];

    public readonly DateTimeOffset? LastTime => _lastTicks == 0 ? null : new DateTimeOffset(_lastTicks, TimeSpan.Zero);

    public readonly double Last => _last;

    /// <summary>When the value last differed from the point before it (the first point's time while it never has); null when empty.</summary>
    public readonly DateTimeOffset? ChangedAt => _lastTicks == 0 ? null : new DateTimeOffset(_changedTicks, TimeSpan.Zero);

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
            if (value != _last)
            {
                _changedTicks = ticks;
            }
        }
        else
        {
            _first = (float)value;
            _changedTicks = ticks;
        }

        if (_lastTicks == 0 || ticks > _fineEnd)
        {
            MoveTo(layout, ticks);
        }

        if (_open.Count < ushort.MaxValue)
        {
            // a fine bucket's mean is of its first 65,535 points (a 1-hour bucket at 18 points per second fits)
            _open.Sum = (float)(_open.Sum + value);
            _open.Count++;
        }

        _open.Extra = (float)(_open.Extra + increase);
        _lastTicks = ticks;
        _last = value;
        return true;
    }

    /// <summary>Mean of the fine buckets after the one holding now − window; NaN when none has points.</summary>
    public readonly double RecentMean(WindowLayout layout, DateTimeOffset now, TimeSpan window)
    {
        var tier = layout.Fine;
        double sum = 0;
        long n = 0;
        foreach (var slot in Slots(tier, now - window))
        {
            var bucket = Bucket(tier, slot);
            sum += bucket.Sum;
            n += bucket.Count;
        }

        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>Counter increase over the fine buckets after the one holding now − window, reset-aware; NaN when the series is empty.</summary>
    public readonly double RecentIncrease(WindowLayout layout, DateTimeOffset now, TimeSpan window) => IncreaseIn(layout.Fine, now - window);

    /// <summary>Counter increase over the hourly buckets after the one holding now − window, reset-aware; NaN when the series is empty.</summary>
    public readonly double Increase(WindowLayout layout, DateTimeOffset now, TimeSpan window) => IncreaseIn(layout.Hourly, now - window);

    /// <summary>
    /// Counter increase over the hourly buckets after the one holding now − <paramref name="window"/> up to and including
    /// the one holding now − <paramref name="skip"/>: the increase of an earlier stretch, e.g. 6 to 12 hours ago (with
    /// <see cref="Increase"/> over <paramref name="skip"/> they tile the window). NaN when the series is empty.
    /// </summary>
    public readonly double IncreaseBefore(WindowLayout layout, DateTimeOffset now, TimeSpan window, TimeSpan skip)
    {
        if (_lastTicks == 0)
        {
            return double.NaN;
        }

        var tier = layout.Hourly;
        var until = tier.BucketOf((now - skip).UtcTicks);
        double total = 0;
        foreach (var slot in Slots(tier, now - window))
        {
            if (BucketOfSlot(tier, slot) <= until)
            {
                total += Bucket(tier, slot).Extra;
            }
        }

        return total;
    }

    /// <summary>
    /// How many of the tier's buckets after the one holding now − <paramref name="window"/> saw the value rise (a counter
    /// increase above zero): hours of a day in which errors were counted, or minutes of an hour. NaN when the series is empty.
    /// </summary>
    public readonly double RisingBuckets(WindowLayout.Tier tier, DateTimeOffset now, TimeSpan window)
    {
        if (_lastTicks == 0)
        {
            return double.NaN;
        }

        var rising = 0;
        foreach (var slot in Slots(tier, now - window))
        {
            if (Bucket(tier, slot).Extra > 0)
            {
                rising++;
            }
        }

        return rising;
    }

    /// <summary>
    /// Value change over the window: the last value minus the last value of the newest coarse bucket at or before the
    /// one holding now − window, or minus the first value seen when the series is younger than the window.
    /// </summary>
    public readonly double Delta(WindowLayout layout, DateTimeOffset now, TimeSpan window)
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
                return _last - Bucket(tier, slot).Extra;
            }
        }

        return _last - _first;
    }

    /// <summary>Least-squares slope of hourly means over the window, per hour; NaN with fewer than 3 hours.</summary>
    public readonly double HourlySlope(WindowLayout layout, DateTimeOffset now, TimeSpan window)
    {
        var tier = layout.Hourly;
        var fromBucket = tier.BucketOf((now - window).UtcTicks);
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (var slot in Slots(tier, now - window))
        {
            var k = BucketOfSlot(tier, slot);
            var bucket = Bucket(tier, slot);
            double x = k - fromBucket, y = bucket.Sum / bucket.Count;
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
    public readonly IEnumerable<(DateTimeOffset End, double Mean, double Increase, double Last, int Count)> Buckets(WindowLayout.Tier tier)
    {
        if (_lastTicks == 0)
        {
            yield break;
        }

        var newest = tier.BucketOf(_lastTicks);
        for (var k = newest - tier.Count + 1; k <= newest; k++)
        {
            var slot = tier.Slot(k);
            var bucket = Bucket(tier, slot);
            if (bucket.Count > 0)
            {
                yield return (
                    new DateTimeOffset((k + 1) * tier.Width, TimeSpan.Zero),
                    bucket.Sum / bucket.Count,
                    tier.KeepsLast ? double.NaN : bucket.Extra,
                    tier.KeepsLast ? bucket.Extra : double.NaN,
                    bucket.Count);
            }
        }
    }

    private readonly double IncreaseIn(WindowLayout.Tier tier, DateTimeOffset from)
    {
        if (_lastTicks == 0)
        {
            return double.NaN;
        }

        double total = 0;
        foreach (var slot in Slots(tier, from))
        {
            total += Bucket(tier, slot).Extra;
        }

        return total;
    }

    /// <summary>Slots of the tier's buckets with points after the bucket holding <paramref name="from"/>, oldest first.</summary>
    private readonly List<int> Slots(WindowLayout.Tier tier, DateTimeOffset from)
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

    private readonly long BucketOfSlot(WindowLayout.Tier tier, int slot)
    {
        var newest = tier.BucketOf(_lastTicks);
        var back = (tier.Slot(newest) - slot + tier.Count) % tier.Count;
        return newest - back;
    }

    /// <summary>Points the tiers at the buckets holding <paramref name="ticks"/>, emptying the buckets skipped since the last point and the ones it opens.</summary>
    private void MoveTo(WindowLayout layout, long ticks)
    {
        if (_lastTicks != 0)
        {
            var closed = _open;
            _buckets[_fine] = closed;
            Merge(ref _buckets[_hourly], closed, _buckets[_hourly].Extra + closed.Extra);
            Merge(ref _buckets[_coarse], closed, (float)_last);
        }

        _open = default;
        _fine = Open(layout.Fine, ticks);
        _hourly = Open(layout.Hourly, ticks);
        _coarse = Open(layout.Coarse, ticks);
        _fineEnd = (layout.Fine.BucketOf(ticks) + 1) * layout.Fine.Width;
    }

    private ushort Open(WindowLayout.Tier tier, long ticks)
    {
        var bucket = tier.BucketOf(ticks);
        if (_lastTicks != 0)
        {
            var newest = tier.BucketOf(_lastTicks);
            for (var k = Math.Max(newest + 1, bucket - tier.Count + 1); k <= bucket; k++)
            {
                _buckets[tier.Offset + tier.Slot(k)] = default;
            }
        }

        return (ushort)(tier.Offset + tier.Slot(bucket));
    }

    /// <summary>Adds a fine bucket's points to a bucket of a coarser tier; a bucket's mean is of the fine buckets that fit in 65,535 points.</summary>
    private static void Merge(ref WindowBucket into, WindowBucket fine, float extra)
    {
        if (into.Count + fine.Count <= ushort.MaxValue)
        {
            into.Sum += fine.Sum;
            into.Count += fine.Count;
        }

        into.Extra = extra;
    }

    /// <summary>A bucket as readers see it: the open fine bucket, and the hourly and coarse buckets holding the last point with it included.</summary>
    private readonly WindowBucket Bucket(WindowLayout.Tier tier, int slot)
    {
        var index = tier.Offset + slot;
        if (_lastTicks == 0)
        {
            return _buckets[index];
        }

        if (index == _fine)
        {
            return _open;
        }

        var bucket = _buckets[index];
        if (index == _hourly || index == _coarse)
        {
            Merge(ref bucket, _open, index == _coarse ? (float)_last : bucket.Extra + _open.Extra);
        }

        return bucket;
    }

    private readonly int Count(WindowLayout.Tier tier, int slot) => Bucket(tier, slot).Count;
}
