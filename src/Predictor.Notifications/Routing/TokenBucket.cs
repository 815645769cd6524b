namespace Predictor.Notifications.Routing;

/// <summary>
/// Allows <c>capacity</c> notifications at once and refills at <c>perHour</c> per hour, reading time only from the
/// injected clock. Not thread-safe: the router serialises access.
/// </summary>
internal sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private readonly double _capacity;
    private readonly double _perSecond;
    private double _tokens;
    private DateTimeOffset _last;

    public TokenBucket(int capacity, int perHour, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perHour, 1);
        _time = time;
        _capacity = capacity;
        _perSecond = perHour / 3600.0;
        _tokens = capacity;
        _last = time.GetUtcNow();
    }

    /// <summary>Takes one token when one is available.</summary>
    public bool TryTake()
    {
        Refill();
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }

    /// <summary>How long until a token is available; zero when one is available now.</summary>
    public TimeSpan UntilNextToken()
    {
        Refill();
        return _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _tokens) / _perSecond);
    }

    private void Refill()
    {
        var now = _time.GetUtcNow();
        var elapsed = (now - _last).TotalSeconds;
        if (elapsed > 0)
        {
            _tokens = Math.Min(_capacity, _tokens + (elapsed * _perSecond));
            _last = now;
        }
    }
}
