namespace Predictor.Telemetry.Windows;

/// <summary>
/// Bounded history of one series (host, signal, component): the newest raw points in a ring, plus
/// hourly roll-ups further back. Counter increases are computed at ingest with resets handled
/// (a drop means the counter restarted from zero), so rates never go negative.
/// </summary>
internal sealed class SeriesWindow
{
    private readonly long[] _rawTicks;
    private readonly double[] _rawValues;
    private readonly HourBucket[] _buckets;
    private int _rawStart;
    private int _rawCount;
    private long _newestHour = long.MinValue;

    public SeriesWindow(int rawCapacity, int hourBuckets)
    {
        _rawTicks = new long[rawCapacity];
        _rawValues = new double[rawCapacity];
        _buckets = new HourBucket[hourBuckets];
    }

    public DateTimeOffset? LastTime => _rawCount == 0 ? null : new DateTimeOffset(_rawTicks[Index(_rawCount - 1)], TimeSpan.Zero);

    public double Last => _rawCount == 0 ? double.NaN : _rawValues[Index(_rawCount - 1)];

    /// <summary>Adds a point; points not newer than the last one are rejected (returns false).</summary>
    public bool Add(DateTimeOffset time, double value)
    {
        var ticks = time.UtcTicks;
        double increase = 0;
        if (_rawCount > 0)
        {
            var lastIndex = Index(_rawCount - 1);
            if (ticks <= _rawTicks[lastIndex])
            {
                return false;
            }

            var previous = _rawValues[lastIndex];
            increase = value >= previous ? value - previous : Math.Max(0, value);
        }

        if (_rawCount == _rawTicks.Length)
        {
            _rawStart = (_rawStart + 1) % _rawTicks.Length;
            _rawCount--;
        }

        var slot = Index(_rawCount);
        _rawTicks[slot] = ticks;
        _rawValues[slot] = value;
        _rawCount++;
        AddToBucket(ticks / TimeSpan.TicksPerHour, value, increase);
        return true;
    }

    /// <summary>Mean of raw points with time in (now - window, now]; NaN when none.</summary>
    public double RawMean(DateTimeOffset now, TimeSpan window)
    {
        double sum = 0;
        var n = 0;
        var from = (now - window).UtcTicks;
        for (var i = _rawCount - 1; i >= 0; i--)
        {
            var k = Index(i);
            if (_rawTicks[k] <= from)
            {
                break;
            }

            sum += _rawValues[k];
            n++;
        }

        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>Counter increase over (now - window, now] from hourly roll-ups (whole hours), reset-aware.</summary>
    public double Increase(DateTimeOffset now, TimeSpan window)
    {
        if (_rawCount == 0)
        {
            return double.NaN;
        }

        var fromHour = (now - window).UtcTicks / TimeSpan.TicksPerHour;
        double total = 0;
        foreach (ref readonly var b in _buckets.AsSpan())
        {
            if (b.Count > 0 && b.Hour > fromHour && b.Hour <= _newestHour)
            {
                total += b.Increase;
            }
        }

        return total;
    }

    /// <summary>Counter increase over the raw points inside (now - window, now], reset-aware.</summary>
    public double RawIncrease(DateTimeOffset now, TimeSpan window)
    {
        if (_rawCount < 2)
        {
            return _rawCount == 0 ? double.NaN : 0;
        }

        var from = (now - window).UtcTicks;
        double total = 0;
        for (var i = _rawCount - 1; i >= 1; i--)
        {
            var k = Index(i);
            if (_rawTicks[k] <= from)
            {
                break;
            }

            var current = _rawValues[k];
            var previous = _rawValues[Index(i - 1)];
            total += current >= previous ? current - previous : Math.Max(0, current);
        }

        return total;
    }

    /// <summary>Value change over the window: last value minus the last value of the hour at the window's start (or the oldest known).</summary>
    public double Delta(DateTimeOffset now, TimeSpan window)
    {
        if (_rawCount == 0)
        {
            return double.NaN;
        }

        var fromHour = (now - window).UtcTicks / TimeSpan.TicksPerHour;
        long before = long.MinValue, oldest = long.MaxValue;
        double beforeValue = double.NaN, oldestValue = double.NaN;
        foreach (ref readonly var b in _buckets.AsSpan())
        {
            if (b.Count == 0)
            {
                continue;
            }

            if (b.Hour <= fromHour && b.Hour > before)
            {
                (before, beforeValue) = (b.Hour, b.Last);
            }

            if (b.Hour < oldest)
            {
                (oldest, oldestValue) = (b.Hour, b.First);
            }
        }

        var baseline = before != long.MinValue ? beforeValue : oldestValue;
        return Last - baseline;
    }

    /// <summary>Least-squares slope of hourly means over the window, per hour; NaN with fewer than 3 hours.</summary>
    public double HourlySlope(DateTimeOffset now, TimeSpan window)
    {
        var fromHour = (now - window).UtcTicks / TimeSpan.TicksPerHour;
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (ref readonly var b in _buckets.AsSpan())
        {
            if (b.Count == 0 || b.Hour <= fromHour)
            {
                continue;
            }

            double x = b.Hour - fromHour, y = b.Sum / b.Count;
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }

        var denominator = n * sxx - sx * sx;
        return n < 3 || denominator == 0 ? double.NaN : (n * sxy - sx * sy) / denominator;
    }

    private void AddToBucket(long hour, double value, double increase)
    {
        ref var b = ref _buckets[(int)(((hour % _buckets.Length) + _buckets.Length) % _buckets.Length)];
        if (b.Hour != hour || b.Count == 0)
        {
            b = new HourBucket { Hour = hour, First = value, Min = value, Max = value };
        }

        b.Last = value;
        b.Min = Math.Min(b.Min, value);
        b.Max = Math.Max(b.Max, value);
        b.Sum += value;
        b.Count++;
        b.Increase += increase;
        _newestHour = Math.Max(_newestHour, hour);
    }

    private int Index(int i) => (_rawStart + i) % _rawTicks.Length;

    private struct HourBucket
    {
        public long Hour;
        public double First;
        public double Last;
        public double Min;
        public double Max;
        public double Sum;
        public int Count;
        public double Increase;
    }
}
