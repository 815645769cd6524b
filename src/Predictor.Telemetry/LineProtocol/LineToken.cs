namespace Predictor.Telemetry.LineProtocol;

/// <summary>
/// A name or string in a parsed line, still escaped as it was written. Compare it without allocating
/// (<see cref="Equals(ReadOnlySpan{byte})"/>); call <see cref="ToString"/> only when a string is needed.
/// </summary>
public readonly ref struct LineToken
{
    internal LineToken(ReadOnlySpan<byte> raw, LineTokenKind kind, bool hasEscapes)
    {
        Raw = raw;
        Kind = kind;
        HasEscapes = hasEscapes;
    }

    /// <summary>The bytes as written, escapes included.</summary>
    public ReadOnlySpan<byte> Raw { get; }

    public LineTokenKind Kind { get; }

    /// <summary>Whether <see cref="Raw"/> holds a backslash, so that it may differ from the unescaped text.</summary>
    public bool HasEscapes { get; }

    /// <summary>Compares the unescaped text with UTF-8 bytes.</summary>
    public bool Equals(ReadOnlySpan<byte> utf8) => LineEscaping.Equals(Raw, Kind, HasEscapes, utf8);

    /// <summary>Writes the unescaped bytes (at most <c>Raw.Length</c>) and returns their count.</summary>
    public int CopyUnescaped(Span<byte> destination) =>
        HasEscapes ? LineEscaping.Unescape(Raw, Kind, destination) : Copy(Raw, destination);

    /// <summary>The unescaped text (allocates).</summary>
    public override string ToString() => LineEscaping.ToString(Raw, Kind, HasEscapes);

    private static int Copy(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        raw.CopyTo(destination);
        return raw.Length;
    }
}
