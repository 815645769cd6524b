namespace Predictor.Core.Telemetry;

/// <summary>
/// Where a host's readings were found last time, so that a sink keeping per-series state in an array finds a point's
/// series without hashing: a source sends each host's fields in the same order every time, so the k-th reading of a
/// point is almost always in the entry the k-th reading of the previous point was; a source writing sample by sample
/// asks for the entry after the last one found. A sink tries <see cref="Remembered"/>, then <see cref="Next"/>, then
/// its own lookup, and reports the entry with <see cref="Found"/>. Not thread-safe: the sink's per-host lock covers it.
/// </summary>
public struct ReadingRoute
{
    /// <summary>Positions remembered per point; readings past this many are found by the fallbacks.</summary>
    public const int MaxPositions = 256;

    private int[]? _route;
    private int _position;
    private int _next;

    /// <summary>Starts a point: its first reading is looked for where the last point's first reading was found.</summary>
    public void BeginPoint() => _position = 0;

    /// <summary>The entry where this position's reading was found in the last point, or −1.</summary>
    public readonly int Remembered => _route is { } route && _position < route.Length ? route[_position] : -1;

    /// <summary>The entry after the last one found.</summary>
    public readonly int Next => _next;

    /// <summary>Records where the current reading is and moves to the next position.</summary>
    public void Found(int index)
    {
        if (_position < MaxPositions)
        {
            if (_route is null || _position >= _route.Length)
            {
                var known = _route?.Length ?? 0;
                Array.Resize(ref _route, Math.Min(MaxPositions, Math.Max(_position + 1, Math.Max(known, 4) * 2)));
                _route.AsSpan(known).Fill(-1);
            }

            _route[_position] = index;
        }

        _position++;
        _next = index + 1;
    }
}
