namespace Predictor.Simulation.Time;

/// <summary>
/// A clock that runs <see cref="Speed"/> times faster than an inner clock: simulated now =
/// <see cref="Start"/> + speed × (inner now − inner now at construction). Timers and delays created from
/// it are scheduled on the inner clock with their due time and period divided by the speed, so
/// <c>Task.Delay(5 min, accelerated)</c> at speed 7200 waits 41.7 ms of inner time.
/// </summary>
public sealed class AcceleratedTimeProvider : TimeProvider
{
    private readonly TimeProvider _inner;
    private readonly DateTimeOffset _innerStart;
    private readonly long _innerStartTimestamp;

    /// <param name="inner">The real clock (<see cref="TimeProvider.System"/>) or a test clock.</param>
    /// <param name="start">Simulated time at construction.</param>
    /// <param name="speed">Simulated seconds per inner second; at least 1e-3 and at most 1e7.</param>
    public AcceleratedTimeProvider(TimeProvider inner, DateTimeOffset start, double speed)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!(speed is >= 1e-3 and <= 1e7))
        {
            throw new ArgumentOutOfRangeException(nameof(speed), speed, "speed must be between 0.001 and 10000000 simulated seconds per second");
        }

        _inner = inner;
        _innerStart = inner.GetUtcNow();
        _innerStartTimestamp = inner.GetTimestamp();
        Start = start.ToUniversalTime();
        Speed = speed;
    }

    /// <summary>Simulated time when the clock was created.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Simulated seconds per inner second.</summary>
    public double Speed { get; }

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override DateTimeOffset GetUtcNow()
    {
        var elapsed = (_inner.GetUtcNow() - _innerStart).Ticks;
        return Start + TimeSpan.FromTicks((long)Math.Round(elapsed * Speed));
    }

    public override long GetTimestamp() =>
        _innerStartTimestamp + (long)Math.Round((_inner.GetTimestamp() - _innerStartTimestamp) * Speed);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(_inner.CreateTimer(callback, state, Scale(dueTime), Scale(period)), this);

    /// <summary>Simulated span → inner span; infinite and zero stay as they are, and nothing positive becomes zero.</summary>
    internal TimeSpan Scale(TimeSpan simulated)
    {
        if (simulated == Timeout.InfiniteTimeSpan || simulated <= TimeSpan.Zero)
        {
            return simulated;
        }

        return TimeSpan.FromTicks(Math.Max(1, (long)Math.Round(simulated.Ticks / Speed)));
    }

    private sealed class ScaledTimer(ITimer inner, AcceleratedTimeProvider clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.Scale(dueTime), clock.Scale(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
