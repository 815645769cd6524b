using System.Text;

namespace Predictor.Telemetry.LineProtocol;

/// <summary>
/// What a token is, which decides how InfluxDB 1.x unescapes it. In names a backslash is dropped before the bytes it
/// may escape there — commas, spaces and equals signs, and in measurements and field keys double quotes too — and is
/// literal anywhere else, before another backslash included (<c>a\\b</c> is <c>a\\b</c>). In string values
/// <c>\"</c> is a double quote and <c>\\</c> one backslash.
/// </summary>
public enum LineTokenKind : byte
{
    Measurement,

    /// <summary>A tag key or a tag value.</summary>
    Key,

    StringValue,

    FieldKey,
}

internal static class LineEscaping
{
    public static bool IsEscapable(LineTokenKind kind, byte b) => kind switch
    {
        LineTokenKind.Measurement or LineTokenKind.FieldKey => b is (byte)',' or (byte)' ' or (byte)'=' or (byte)'"',
        LineTokenKind.Key => b is (byte)',' or (byte)' ' or (byte)'=',
        _ => b is (byte)'"' or (byte)'\\',
    };

    /// <summary>Writes the unescaped bytes of <paramref name="raw"/>; the result is never longer than the input.</summary>
    public static int Unescape(ReadOnlySpan<byte> raw, LineTokenKind kind, Span<byte> destination)
    {
        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b == (byte)'\\' && i + 1 < raw.Length && IsEscapable(kind, raw[i + 1]))
            {
                b = raw[++i];
            }

            destination[n++] = b;
        }

        return n;
    }

    public static string ToString(ReadOnlySpan<byte> raw, LineTokenKind kind, bool hasEscapes)
    {
        if (!hasEscapes)
        {
            return Encoding.UTF8.GetString(raw);
        }

        Span<byte> small = stackalloc byte[256];
        var buffer = raw.Length <= small.Length ? small : new byte[raw.Length];
        var n = Unescape(raw, kind, buffer);
        return Encoding.UTF8.GetString(buffer[..n]);
    }

    public static bool Equals(ReadOnlySpan<byte> raw, LineTokenKind kind, bool hasEscapes, ReadOnlySpan<byte> unescaped)
    {
        if (!hasEscapes)
        {
            return raw.SequenceEqual(unescaped);
        }

        if (unescaped.Length > raw.Length)
        {
            return false;
        }

        Span<byte> small = stackalloc byte[256];
        var buffer = raw.Length <= small.Length ? small : new byte[raw.Length];
        var n = Unescape(raw, kind, buffer);
        return buffer[..n].SequenceEqual(unescaped);
    }
}
