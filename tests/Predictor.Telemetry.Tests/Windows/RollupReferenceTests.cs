using Predictor.Telemetry.Windows;

namespace Predictor.Telemetry.Tests.Windows;

/// <summary>
/// The bucketed windows against a reference that keeps every raw point: for random series (gauges and counters with
/// resets, 60-second sampling with random gaps), every rollup equals what the raw points give over the tier's whole
/// buckets after the one holding now − window, within float32 rounding. With <c>now</c> on a 6-hour boundary that is
/// exactly (now − window, now]; with <c>now</c> inside a bucket, the last point's fine bucket is still open and the
/// hourly and coarse reads must include it.
/// </summary>
public sealed class RollupReferenceTests
{
    private static readonly WindowLayout s_layout = new(new HostWindowOptions());
    private static readonly DateTimeOffset s_start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, false, 0)]
    [InlineData(2, true, 0)]
    [InlineData(3, false, 0)]
    [InlineData(4, true, 0)]
    [InlineData(5, true, 0)]
    [InlineData(6, false, 37)]
    [InlineData(7, true, 37)]
    [InlineData(8, true, 6 * 60 + 2)]
    [InlineData(9, false, 3 * 60 + 59)]
    public void Rollups_RandomSeries_EqualRawPointReference(int seed, bool counter, int minutesPastBoundary)
    {
        var random = new Random(seed);
        var points = new List<(DateTimeOffset Time, double Value)>();
        var window = new SeriesWindow(s_layout);
        var value = counter ? random.Next(0, 1_000_000) : 50.0;
        var end = s_start.AddDays(4).AddMinutes(minutesPastBoundary);
        for (var t = s_start.AddMinutes(1); t <= end; t = t.AddMinutes(random.NextDouble() < 0.02 ? random.Next(2, 180) : 1))
        {
            value = counter
                ? (random.NextDouble() < 0.001 ? random.Next(0, 5) : value + random.Next(0, 4))
                : Math.Round(value + random.NextDouble() - 0.5, 3);
            points.Add((t, value));
            window.Add(s_layout, t, value);
        }

        var now = end;
        var hour = TimeSpan.FromHours(1);
        var day = TimeSpan.FromDays(1);
        var recent = After(now - hour, s_layout.Fine);
        var daily = After(now - day, s_layout.Hourly);
        Assert.Equal(Mean(points, recent, now), window.RecentMean(s_layout, now, hour), Tolerance(Mean(points, recent, now)));
        Assert.Equal(Increase(points, recent, now), window.RecentIncrease(s_layout, now, hour), Tolerance(Increase(points, recent, now)));
        Assert.Equal(Increase(points, daily, now), window.Increase(s_layout, now, day), Tolerance(Increase(points, daily, now)));
        Assert.Equal(Delta(points, After(now - TimeSpan.FromDays(3), s_layout.Coarse)), window.Delta(s_layout, now, TimeSpan.FromDays(3)), Tolerance(points[^1].Value));
        Assert.Equal(Slope(points, now - day, now), window.HourlySlope(s_layout, now, day), 1e-3);
    }

    /// <summary>The end of the tier's bucket holding <paramref name="time"/>: a read covers the whole buckets after it.</summary>
    private static DateTimeOffset After(DateTimeOffset time, WindowLayout.Tier tier) =>
        new((tier.BucketOf(time.UtcTicks) + 1) * tier.Width, TimeSpan.Zero);

    private static double Tolerance(double magnitude) => double.IsNaN(magnitude) ? 1e-6 : Math.Max(1e-6, Math.Abs(magnitude) * 2e-6);

    private static IEnumerable<(DateTimeOffset Time, double Value)> In(List<(DateTimeOffset Time, double Value)> points, DateTimeOffset from, DateTimeOffset to) =>
        points.Where(p => p.Time > from && p.Time <= to);

    private static double Mean(List<(DateTimeOffset Time, double Value)> points, DateTimeOffset from, DateTimeOffset to) =>
        In(points, from, to).Select(p => p.Value).DefaultIfEmpty(double.NaN).Average();

    private static double Increase(List<(DateTimeOffset Time, double Value)> points, DateTimeOffset from, DateTimeOffset to)
    {
        double total = 0;
        for (var i = 1; i < points.Count; i++)
        {
            if (points[i].Time > from && points[i].Time <= to)
            {
                var (previous, current) = (points[i - 1].Value, points[i].Value);
                total += current >= previous ? current - previous : Math.Max(0, current);
            }
        }

        return total;
    }

    private static double Delta(List<(DateTimeOffset Time, double Value)> points, DateTimeOffset from)
    {
        var before = points.LastOrDefault(p => p.Time <= from);
        return points[^1].Value - (before == default ? points[0].Value : before.Value);
    }

    /// <summary>Least squares over the means of whole hours (k h, (k + 1) h] inside the window, x in hours from the window start.</summary>
    private static double Slope(List<(DateTimeOffset Time, double Value)> points, DateTimeOffset from, DateTimeOffset to)
    {
        var hours = In(points, After(from, s_layout.Hourly), to)
            .GroupBy(p => (p.Time.UtcTicks - 1) / TimeSpan.TicksPerHour)
            .Select(g => (X: (double)(g.Key - (from.UtcTicks - 1) / TimeSpan.TicksPerHour), Y: g.Average(p => p.Value)))
            .ToList();
        double n = hours.Count, sx = hours.Sum(h => h.X), sy = hours.Sum(h => h.Y), sxx = hours.Sum(h => h.X * h.X), sxy = hours.Sum(h => h.X * h.Y);
        var denominator = n * sxx - sx * sx;
        return n < 3 || denominator == 0 ? double.NaN : (n * sxy - sx * sy) / denominator;
    }
}
