using System.Text;

namespace Predictor.Telemetry.LineProtocol;

/// <summary>
/// Escaping rules of the line-protocol reference. In measurements a backslash escapes commas and spaces;
/// in tag keys, tag values and field keys it also escapes equals signs; in string field values it escapes
/// double quotes. Everywhere two backslashes stand for one, and a backslash before any other byte is literal.
/// </summary>
public enum LineTokenKind : byte
{
    Measurement,
    Key,
    StringValue,
}

internal static class LineEscaping
{
    public static bool IsEscapable(LineTokenKind kind, byte b) => kind switch
    {
        LineTokenKind.Measurement => b is (byte)',' or (byte)' ' or (byte)'\\',
        LineTokenKind.Key => b is (byte)',' or (byte)' ' or (byte)'=' or (byte)'\\',
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
