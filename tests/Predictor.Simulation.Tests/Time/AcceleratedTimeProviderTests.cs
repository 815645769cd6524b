using Predictor.Simulation.Time;
using Predictor.Testing;

namespace Predictor.Simulation.Tests.Time;

public sealed class AcceleratedTimeProviderTests
{
    private static readonly DateTimeOffset s_simStart = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void GetUtcNow_InnerAdvances_SimulatedTimeAdvancesSpeedTimesFaster()
    {
        var inner = new ManualTimeProvider(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var clock = new AcceleratedTimeProvider(inner, s_simStart, 7200);

        Assert.Equal(s_simStart, clock.GetUtcNow());
        inner.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(s_simStart + TimeSpan.FromHours(2), clock.GetUtcNow());
        inner.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Equal(s_simStart + TimeSpan.FromHours(2.5), clock.GetUtcNow());
    }

    [Fact]
    public void GetElapsedTime_Timestamps_ScaledBySpeed()
    {
        var inner = new ManualTimeProvider();
        var clock = new AcceleratedTimeProvider(inner, s_simStart, 60);
        var before = clock.GetTimestamp();

        inner.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(inner.TimestampFrequency, clock.TimestampFrequency);
        Assert.Equal(600, clock.GetElapsedTime(before).TotalSeconds, precision: 3);
    }

    [Fact]
    public void CreateTimer_DueAndPeriod_FireAfterScaledInnerTime()
    {
        var inner = new ManualTimeProvider();
        var clock = new AcceleratedTimeProvider(inner, s_simStart, 3600);
        var fired = new List<DateTimeOffset>();

        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromHours(1), TimeSpan.FromMinutes(30));
        inner.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Empty(fired);
        inner.Advance(TimeSpan.FromMilliseconds(1));
        inner.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal([s_simStart + TimeSpan.FromHours(1), s_simStart + TimeSpan.FromHours(1.5), s_simStart + TimeSpan.FromHours(2)], fired);
    }

    [Fact]
    public void Change_RescheduledTimer_UsesScaledTimes()
    {
        var inner = new ManualTimeProvider();
        var clock = new AcceleratedTimeProvider(inner, s_simStart, 100);
        var count = 0;
        using var timer = clock.CreateTimer(_ => count++, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        inner.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, count);
        Assert.True(timer.Change(TimeSpan.FromSeconds(100), Timeout.InfiniteTimeSpan));
        inner.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, count);
        inner.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task Delay_OnAcceleratedClock_CompletesAfterScaledInnerTime()
    {
        var inner = new ManualTimeProvider();
        var clock = new AcceleratedTimeProvider(inner, s_simStart, 7200);

        var delay = Task.Delay(TimeSpan.FromMinutes(5), clock);
        inner.Advance(TimeSpan.FromMilliseconds(41));
        Assert.False(delay.IsCompleted);
        inner.Advance(TimeSpan.FromMilliseconds(1));

        await delay.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(delay.IsCompletedSuccessfully);
    }

    [Fact]
    public void Scale_TinyPositiveSpan_NeverBecomesZero()
    {
        var clock = new AcceleratedTimeProvider(new ManualTimeProvider(), s_simStart, 1e7);

        Assert.Equal(TimeSpan.FromTicks(1), clock.Scale(TimeSpan.FromTicks(5)));
        Assert.Equal(TimeSpan.Zero, clock.Scale(TimeSpan.Zero));
        Assert.Equal(Timeout.InfiniteTimeSpan, clock.Scale(Timeout.InfiniteTimeSpan));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(1e8)]
    public void Constructor_BadSpeed_Throws(double speed)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AcceleratedTimeProvider(new ManualTimeProvider(), s_simStart, speed));

        Assert.Equal("speed", e.ParamName);
    }
}
