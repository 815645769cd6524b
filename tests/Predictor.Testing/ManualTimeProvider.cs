using Predictor.Simulation.Time;

namespace Predictor.Testing;

/// <summary>
/// The product's virtual clock for tests: it moves only when a test says so, and timers fire in due
/// order during <see cref="Advance"/>. The timestamp frequency is deliberately odd to catch code that
/// assumes ticks.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset? start = null)
    : VirtualTimeProvider(start ?? new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero))
{
    public override long TimestampFrequency => 3_000_017;

    public override long GetTimestamp() => (long)((GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds * TimestampFrequency);

    /// <summary>Moves the clock forward, firing every timer that falls due on the way, in order.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        AdvanceTo(GetUtcNow() + by);
    }
}
