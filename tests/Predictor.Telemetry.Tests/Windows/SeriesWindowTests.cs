using Predictor.Telemetry.Windows;

namespace Predictor.Telemetry.Tests.Windows;

public sealed class SeriesWindowTests
{
    private static readonly WindowLayout s_layout = new(new HostWindowOptions());
    private static readonly DateTimeOffset s_start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Add_NotNewerThanLast_Rejected()
    {
        var window = new SeriesWindow(s_layout);

        var accepted = (window.Add(s_layout, s_start, 1), window.Add(s_layout, s_start, 2), window.Add(s_layout, s_start.AddSeconds(-1), 3), window.Add(s_layout, s_start.AddSeconds(1), 4));

        Assert.Equal((true, false, false, true), accepted);
        Assert.Equal((4.0, s_start.AddSeconds(1)), (window.Last, window.LastTime));
    }

    [Fact]
    public void RecentIncrease_CounterReset_CountsRestartFromZero()
    {
        var window = Fill([10, 12, 15, 3, 5], TimeSpan.FromMinutes(1));

        Assert.Equal(2 + 3 + 3 + 2, window.RecentIncrease(s_layout, s_start.AddMinutes(5), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void RecentMean_NowOnBucketBoundary_ExactlyTheLastHour()
    {
        var window = Fill(Enumerable.Range(1, 120).Select(i => (double)i), TimeSpan.FromMinutes(1));

        // points at minute 1..120 have values 1..120; (60, 120] holds 61..120
        Assert.Equal(90.5, window.RecentMean(s_layout, s_start.AddMinutes(120), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void RecentMean_NowInsideBucket_WholeBucketsAfterTheOneHoldingWindowStart()
    {
        var window = Fill(Enumerable.Range(1, 120).Select(i => (double)i), TimeSpan.FromMinutes(1));

        // now − 1 h = minute 62 lies in bucket (60, 65]: the mean is of minutes 66..120
        Assert.Equal(93, window.RecentMean(s_layout, s_start.AddMinutes(122), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Increase_OneADayOfFiveMinuteSteps_ExactlyTwentyFourHours()
    {
        var window = Fill(Enumerable.Range(1, 3 * 288).Select(i => (double)i), TimeSpan.FromMinutes(5));

        Assert.Equal(288, window.Increase(s_layout, s_start.AddDays(3), TimeSpan.FromDays(1)));
    }

    [Fact]
    public void Increase_LargeCounter_Float32BucketsStayExact()
    {
        var window = Fill(Enumerable.Range(0, 180).Select(i => 3_000_000_000.0 + i), TimeSpan.FromMinutes(1));
        var now = s_start.AddMinutes(180);

        // one per minute: 60 in the last hour, 179 since the first point
        Assert.Equal((60.0, 179.0), (window.RecentIncrease(s_layout, now, TimeSpan.FromHours(1)), window.Increase(s_layout, now, TimeSpan.FromDays(1))));
        Assert.Equal(3_000_000_179.0, window.Last);
    }

    [Fact]
    public void Delta_HistoryLongerThanWindow_LastMinusValueAtWindowStart()
    {
        var window = Fill(Enumerable.Range(1, 5 * 24).Select(i => (double)i), TimeSpan.FromHours(1));

        // value = hours since start; now = hour 120, window start = hour 48
        Assert.Equal(72, window.Delta(s_layout, s_start.AddHours(120), TimeSpan.FromDays(3)));
    }

    [Fact]
    public void Delta_SeriesYoungerThanWindow_LastMinusFirst()
    {
        var window = Fill([7, 9, 4, 12], TimeSpan.FromHours(6));

        Assert.Equal(5, window.Delta(s_layout, s_start.AddDays(1), TimeSpan.FromDays(3)));
    }

    [Fact]
    public void HourlySlope_LinearRise_SlopePerHour()
    {
        var window = Fill(Enumerable.Range(1, 2 * 288).Select(i => 40 + 0.5 * i / 12.0), TimeSpan.FromMinutes(5));

        Assert.Equal(0.5, window.HourlySlope(s_layout, s_start.AddDays(2), TimeSpan.FromDays(1)), 5);
    }

    [Fact]
    public void Increase_AfterGapLongerThanTheRing_OldBucketsCleared()
    {
        var window = new SeriesWindow(s_layout);
        for (var h = 1; h <= 10; h++)
        {
            window.Add(s_layout, s_start.AddHours(h), h * 100);
        }

        // silent for 30 hours: every hourly slot the old points used is reused or must read as empty
        window.Add(s_layout, s_start.AddHours(40), 1000);
        window.Add(s_layout, s_start.AddHours(41), 1003);

        Assert.Equal(1000 - 1000 + 3, window.Increase(s_layout, s_start.AddHours(41), TimeSpan.FromDays(1)));
        Assert.Equal([(s_start.AddHours(40), 1000.0, 0.0, 1), (s_start.AddHours(41), 1003.0, 3.0, 1)],
            window.Buckets(s_layout.Hourly).Select(b => (b.End, b.Mean, b.Increase, b.Count)));
    }

    [Fact]
    public void Buckets_EightDaysOfData_CoarseTierKeepsAWeek()
    {
        var window = Fill(Enumerable.Range(1, 8 * 24).Select(i => (double)i), TimeSpan.FromHours(1));

        var coarse = window.Buckets(s_layout.Coarse).ToList();

        Assert.Equal(29, coarse.Count);
        Assert.Equal((s_start.AddHours(8 * 24 - 28 * 6), s_start.AddDays(8)), (coarse[0].End, coarse[^1].End));
        // the newest 6-hour bucket holds hours 187..192
        Assert.Equal((189.5, 192.0, 6), (coarse[^1].Mean, coarse[^1].Last, coarse[^1].Count));
    }

    [Fact]
    public void ChangedAt_ValueSitsStillThenMoves_TimeOfTheLastChange()
    {
        var still = Fill([72, 72, 72, 72], TimeSpan.FromHours(1));
        var moving = Fill([72, 72, 75, 75], TimeSpan.FromHours(1));

        // a value never seen to change: the first point's time
        Assert.Equal(s_start.AddHours(1), still.ChangedAt);
        Assert.Equal(s_start.AddHours(3), moving.ChangedAt);
        Assert.Null(new SeriesWindow(s_layout).ChangedAt);
    }

    [Fact]
    public void IncreaseBefore_TwelveHoursOfRisingCounts_TheEarlierSixHoursOnly()
    {
        // one more per hour in hour k: increases 1, 2, …, 12 over hours 1..12 (the first point has none)
        var values = new List<double> { 0 };
        for (var k = 1; k <= 12; k++)
        {
            values.Add(values[^1] + k);
        }

        var window = Fill(values, TimeSpan.FromHours(1));
        var now = s_start.AddHours(13);

        // hourly buckets hold (k·h, (k+1)·h]: the point at hour k+1 carries hour k's increase
        Assert.Equal(7 + 8 + 9 + 10 + 11 + 12, window.Increase(s_layout, now, TimeSpan.FromHours(6)));
        Assert.Equal(1 + 2 + 3 + 4 + 5 + 6, window.IncreaseBefore(s_layout, now, TimeSpan.FromHours(12), TimeSpan.FromHours(6)));
        Assert.True(double.IsNaN(new SeriesWindow(s_layout).IncreaseBefore(s_layout, now, TimeSpan.FromHours(12), TimeSpan.FromHours(6))));
    }

    [Fact]
    public void RisingBuckets_BurstThenQuiet_CountsOnlyTheHoursThatRose()
    {
        // a day of five-minute points: 24 errors in each of the hours ending at 04:00 and 05:00, nothing else
        var values = Enumerable.Range(1, 288).Select(i => i <= 36 ? 0.0 : i <= 60 ? 2.0 * (i - 36) : 48.0).ToList();
        var window = Fill(values, TimeSpan.FromMinutes(5));
        var now = s_start.AddDays(1);

        Assert.Equal(2, window.RisingBuckets(s_layout.Hourly, now, TimeSpan.FromDays(1)));
        Assert.Equal(0, window.RisingBuckets(s_layout.Fine, now, TimeSpan.FromHours(1)));
        Assert.Equal(12, Fill(Enumerable.Range(1, 24).Select(i => (double)i), TimeSpan.FromMinutes(5)).RisingBuckets(s_layout.Fine, s_start.AddHours(2), TimeSpan.FromHours(1)));
    }

    private static SeriesWindow Fill(IEnumerable<double> values, TimeSpan step)
    {
        var window = new SeriesWindow(s_layout);
        var t = s_start;
        foreach (var v in values)
        {
            t += step;
            Assert.True(window.Add(s_layout, t, v));
        }

        return window;
    }
}
