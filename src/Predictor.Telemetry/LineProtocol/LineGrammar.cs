using System.Text;

namespace Predictor.Telemetry.LineProtocol;

/// <summary>
/// The line-protocol grammar as InfluxDB 1.x applies it, so that what the push endpoints accept is what InfluxDB
/// accepts (read from its parser, models/points.go, and checked against the Debian influxd by the differential test
/// in the integration suite). Its rules differ from a textbook escape grammar in ways writers rely on:
/// <list type="bullet">
/// <item>In the measurement and in tags a delimiter is escaped when the byte before it is a backslash, whether or not
/// that backslash is itself escaped: <c>cpu,regions=\\ east</c> is the tag value <c>\ east</c>, and <c>cpu\\ value=1</c> has
/// no field section.</item>
/// <item>In the field section a backslash escapes the byte after it, whatever it is; a double quote opens or closes a
/// string only in a value.</item>
/// <item>Whitespace before a line, before the fields and before the timestamp is spaces, tabs and NUL bytes; a
/// carriage return is an ordinary byte (so a CRLF line's value or timestamp is invalid).</item>
/// <item>Numbers: an optional minus, digits with at most one point, an exponent; <c>i</c> ends an integer, <c>u</c>
/// an unsigned one; NaN and infinities are refused; the series key is at most 65,535 bytes.</item>
/// </list>
/// Every scan works on one line (without its ending) and returns a position in it.
/// </summary>
internal static class LineGrammar
{
    /// <summary>InfluxDB's bound on the series key (measurement and tags as written), and on the key with each field.</summary>
    public const int MaxKeyLength = 65535;

    public enum TagValueProblem : byte { None, Empty, UnescapedEquals, NoFields }

    public enum NumberProblem : byte { None, Invalid, IntegerRange, Unsigned, UnsignedRange, FloatRange }

    /// <summary>Skips spaces, tabs and NUL bytes.</summary>
    public static int SkipWhitespace(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t' or 0)
        {
            i++;
        }

        return i;
    }

    /// <summary>The end of the measurement (at the comma before the tags or the space before the fields).</summary>
    public static int ScanMeasurement(ReadOnlySpan<byte> line, out string? reason)
    {
        reason = null;
        if (line.IsEmpty || line[0] == (byte)',')
        {
            reason = "missing measurement";
            return 0;
        }

        var i = 0;
        while (true)
        {
            i++;
            if (i >= line.Length)
            {
                reason = "missing fields";
                return i;
            }

            if (line[i - 1] == (byte)'\\')
            {
                continue;
            }

            if (line[i] is (byte)',' or (byte)' ')
            {
                return i;
            }
        }
    }

    /// <summary>The position of the '=' ending the tag key that starts at <paramref name="i"/>; <paramref name="missing"/> when there is none.</summary>
    public static int ScanTagKey(ReadOnlySpan<byte> line, int i, out bool missing)
    {
        missing = true;
        if (i >= line.Length || line[i] is (byte)' ' or (byte)',' or (byte)'=')
        {
            return i;
        }

        while (true)
        {
            i++;
            if (i >= line.Length || (line[i] is (byte)' ' or (byte)',' && line[i - 1] != (byte)'\\'))
            {
                return i;
            }

            if (line[i] == (byte)'=' && line[i - 1] != (byte)'\\')
            {
                missing = false;
                return i;
            }
        }
    }

    /// <summary>The end of the tag value that starts at <paramref name="i"/> (a comma before the next tag or the space before the fields).</summary>
    public static int ScanTagValue(ReadOnlySpan<byte> line, int i, out TagValueProblem problem)
    {
        problem = TagValueProblem.Empty;
        if (i >= line.Length || line[i] is (byte)',' or (byte)' ')
        {
            return i;
        }

        // the first byte may be anything else, '=' included
        while (true)
        {
            i++;
            if (i >= line.Length)
            {
                problem = TagValueProblem.NoFields;
                return i;
            }

            if (line[i - 1] == (byte)'\\')
            {
                continue;
            }

            if (line[i] == (byte)'=')
            {
                problem = TagValueProblem.UnescapedEquals;
                return i;
            }

            if (line[i] is (byte)',' or (byte)' ')
            {
                problem = TagValueProblem.None;
                return i;
            }
        }
    }

    /// <summary>
    /// Validates the field section from <paramref name="start"/> as InfluxDB does before it stores anything: every
    /// value a number, a boolean or a balanced quoted string, as many '=' as fields. Returns where the section ends
    /// (the line's end or the space before the timestamp); on a problem sets <paramref name="reason"/> and <paramref name="bad"/>.
    /// </summary>
    public static int ScanFields(ReadOnlySpan<byte> line, int start, bool unsignedIntegers, out int bad, out string? reason)
    {
        bad = -1;
        reason = null;
        var quoted = false;
        var opened = start;
        var equals = 0;
        var commas = 0;
        var keyStart = start;
        var i = start;
        while (i < line.Length)
        {
            var b = line[i];
            if (b == (byte)'\\' && i + 1 < line.Length)
            {
                i += 2;
                continue;
            }

            if (b == (byte)'"' && equals > commas)
            {
                quoted = !quoted;
                opened = quoted ? i : opened;
                i++;
                continue;
            }

            if (b == (byte)'=' && !quoted)
            {
                equals++;
                if (line[i - 1] is (byte)' ' or (byte)',' && line[i - 2] != (byte)'\\')
                {
                    (bad, reason) = (i, "missing field key");
                    return i;
                }

                if (i + 1 >= line.Length || line[i + 1] is (byte)',' or (byte)' ')
                {
                    (bad, reason) = (i + 1, $"missing value for field '{Key(line, keyStart, i)}'");
                    return i;
                }

                var next = line[i + 1];
                if (IsNumeric(next) || next is (byte)'-' or (byte)'N' or (byte)'n')
                {
                    var end = ScanNumber(line, i + 1, unsignedIntegers, out var problem);
                    if (problem != NumberProblem.None)
                    {
                        (bad, reason) = (i + 1, Describe(problem, line[(i + 1)..ValueEnd(line, i + 1)], Key(line, keyStart, i)));
                        return i;
                    }

                    i = end;
                    continue;
                }

                if (next != (byte)'"')
                {
                    var end = ValueEnd(line, i + 1);
                    if (!IsBoolean(line[(i + 1)..end]))
                    {
                        (bad, reason) = (i + 1, InvalidValue(Encoding.UTF8.GetString(line[(i + 1)..end]), Key(line, keyStart, i)));
                        return i;
                    }

                    i = end;
                    continue;
                }
            }

            if (b == (byte)',' && !quoted)
            {
                commas++;
                keyStart = i + 1;
            }

            if (b == (byte)' ' && !quoted)
            {
                break;
            }

            i++;
        }

        if (quoted)
        {
            (bad, reason) = (opened, "unterminated string value");
            return i;
        }

        if (equals == 0 && i == start)
        {
            (bad, reason) = (i, "missing fields");
        }
        else if (commas >= equals)
        {
            (bad, reason) = (i, keyStart == i ? "missing field key" : $"expected '=' after field key '{Key(line, keyStart, i)}'");
        }
        else if (commas != equals - 1)
        {
            (bad, reason) = (i, "invalid field format: more '=' than fields (an unescaped '=' after a value?)");
        }

        return i;
    }

    /// <summary>
    /// Validates the number at <paramref name="i"/> up to the next comma or space: returns its end, or sets
    /// <paramref name="problem"/> (InfluxDB's numeric syntax and ranges).
    /// </summary>
    public static int ScanNumber(ReadOnlySpan<byte> line, int i, bool unsignedIntegers, out NumberProblem problem)
    {
        problem = NumberProblem.Invalid;
        var start = i;
        bool isInt = false, isUnsigned = false, point = false, exponent = false;
        if (line[i] == (byte)'-')
        {
            i++;
            if (i == line.Length)
            {
                return i;
            }
        }

        for (; i < line.Length; i++)
        {
            var b = line[i];
            if (b is (byte)',' or (byte)' ')
            {
                break;
            }

            if (b is (byte)'i' or (byte)'u' && i > start && !(isInt || isUnsigned))
            {
                isInt = b == (byte)'i';
                isUnsigned = b == (byte)'u';
                continue;
            }

            if (b == (byte)'.')
            {
                if (point)
                {
                    return i;
                }

                point = true;
            }

            if (i > start && b is (byte)'e' or (byte)'E')
            {
                exponent = true;
                continue;
            }

            if (b is (byte)'+' or (byte)'-' && line[i - 1] is (byte)'e' or (byte)'E')
            {
                continue;
            }

            if (!IsNumeric(b))
            {
                return i;
            }
        }

        if ((isInt || isUnsigned) && (point || exponent))
        {
            return i;
        }

        var digits = i - start - (isInt ? 1 : 0) - (point ? 1 : 0) - (line[start] == (byte)'-' ? 1 : 0);
        if (digits == 0)
        {
            return i;
        }

        var text = line[start..i];
        if (isInt)
        {
            if (text[^1] != (byte)'i')
            {
                return i;
            }

            if (text.Length - 1 >= 19 && LineNumbers.TryParseInt64(text[..^1], out _) != LineNumbers.Result.Ok)
            {
                problem = NumberProblem.IntegerRange;
                return i;
            }
        }
        else if (isUnsigned)
        {
            if (text[^1] != (byte)'u' || text[0] == (byte)'-')
            {
                return i;
            }

            if (!unsignedIntegers)
            {
                problem = NumberProblem.Unsigned;
                return i;
            }

            if (text.Length - 1 >= 20 && LineNumbers.TryParseUInt64(text[..^1], out _) != LineNumbers.Result.Ok)
            {
                problem = NumberProblem.UnsignedRange;
                return i;
            }
        }
        else if ((exponent || text.Length >= 25) && LineNumbers.TryParseFloat(text, out _) is var parsed && parsed != LineNumbers.Result.Ok)
        {
            problem = parsed == LineNumbers.Result.Range ? NumberProblem.FloatRange : NumberProblem.Invalid;
            return i;
        }

        problem = NumberProblem.None;
        return i;
    }

    private static string Describe(NumberProblem problem, ReadOnlySpan<byte> value, string key)
    {
        var text = Encoding.UTF8.GetString(value);
        return problem switch
        {
            NumberProblem.IntegerRange => $"integer '{text}' is out of range for field '{key}'",
            NumberProblem.UnsignedRange => $"unsigned integer '{text}' is out of range for field '{key}'",
            NumberProblem.Unsigned => $"unsigned integer '{text}' for field '{key}' is not accepted: InfluxDB 1.x stores no unsigned integers (write {text[..^1]}i)",
            NumberProblem.FloatRange => $"float '{text}' is out of range for field '{key}'",
            _ when text.EndsWith('i') => $"invalid integer '{text}' for field '{key}'",
            _ when text.EndsWith('u') => $"invalid unsigned integer '{text}' for field '{key}'",
            _ => InvalidValue(text, key),
        };
    }

    private static string InvalidValue(string text, string key) =>
        text.Length > 0 && text[0] is 't' or 'T' or 'f' or 'F'
            ? $"invalid boolean '{text}' for field '{key}'"
            : $"invalid field value '{text}' for field '{key}': expected a number, an integer (1i), a \"string\" or a boolean";

    /// <summary>t, T, true, True, TRUE, f, F, false, False, FALSE.</summary>
    public static bool IsBoolean(ReadOnlySpan<byte> text) =>
        text.Length == 1 ? text[0] is (byte)'t' or (byte)'T' or (byte)'f' or (byte)'F'
        : text.SequenceEqual("true"u8) || text.SequenceEqual("True"u8) || text.SequenceEqual("TRUE"u8)
            || text.SequenceEqual("false"u8) || text.SequenceEqual("False"u8) || text.SequenceEqual("FALSE"u8);

    /// <summary>The first <paramref name="stop"/> at or after <paramref name="i"/> not preceded by a backslash, or the end.</summary>
    public static int FindUnescaped(ReadOnlySpan<byte> fields, int i, byte stop)
    {
        for (; i < fields.Length; i++)
        {
            if (fields[i] == stop && (i == 0 || fields[i - 1] != (byte)'\\'))
            {
                return i;
            }
        }

        return fields.Length;
    }

    /// <summary>Where a field value that starts at <paramref name="i"/> ends: the next comma outside double quotes (a backslash escapes a quote or a backslash).</summary>
    public static int FieldValueEnd(ReadOnlySpan<byte> fields, int i)
    {
        var quoted = false;
        while (i < fields.Length)
        {
            var b = fields[i];
            if (b == (byte)'\\' && i + 1 < fields.Length && fields[i + 1] is (byte)'"' or (byte)'\\')
            {
                i += 2;
                continue;
            }

            if (b == (byte)'"')
            {
                quoted = !quoted;
            }
            else if (b == (byte)',' && !quoted)
            {
                break;
            }

            i++;
        }

        return i;
    }

    /// <summary>The end of the timestamp at <paramref name="i"/> (digits with an optional leading minus); <paramref name="bad"/> is the first other byte.</summary>
    public static int ScanTimestamp(ReadOnlySpan<byte> line, int i, out int bad)
    {
        bad = -1;
        var start = i;
        for (; i < line.Length && line[i] != (byte)' '; i++)
        {
            if (i == start && line[i] == (byte)'-')
            {
                continue;
            }

            if (!char.IsAsciiDigit((char)line[i]))
            {
                bad = i;
                return i;
            }
        }

        return i;
    }

    private static int ValueEnd(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && line[i] is not ((byte)',' or (byte)' '))
        {
            i++;
        }

        return i;
    }

    private static bool IsNumeric(byte b) => char.IsAsciiDigit((char)b) || b == (byte)'.';

    private static string Key(ReadOnlySpan<byte> line, int start, int end) =>
        LineEscaping.ToString(line[start..Math.Max(start, end)], LineTokenKind.FieldKey, hasEscapes: true);
}
