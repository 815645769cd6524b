using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Predictor.Telemetry.LineProtocol;

/// <summary>
/// Writes InfluxDB line protocol as UTF-8: <c>measurement[,tag=value…] field=value[,…] [timestamp]</c>,
/// escaping as the protocol requires (commas and spaces in measurements; commas, equals signs and spaces
/// in tag keys, tag values and field keys; double quotes and backslashes in string field values).
/// InfluxDB reads a backslash in a name literally unless it precedes a byte it escapes there, and has no way to
/// write a literal one before such a byte or at the end of a name: such names are refused.
/// Usage per line: <see cref="BeginLine"/>, any <c>Tag</c>s, one or more <c>Field</c>s, <see cref="EndLine(long?)"/>.
/// </summary>
public sealed class LineProtocolWriter(IBufferWriter<byte> output, TimestampPrecision precision = TimestampPrecision.Nanoseconds)
{
    private enum State { BetweenLines, InTags, InFields }

    private State _state = State.BetweenLines;
    private bool _hasField;

    public TimestampPrecision Precision { get; } = precision;

    public LineProtocolWriter BeginLine(string measurement)
    {
        Require(State.BetweenLines, "BeginLine");
        if (string.IsNullOrEmpty(measurement))
        {
            throw new ArgumentException("A measurement name must not be empty.", nameof(measurement));
        }

        if (measurement[0] is '#' or '\t' or '\0')
        {
            // Readers take '#' at the start of a line for a comment and skip leading tabs and NULs; none can be escaped.
            throw new ArgumentException($"Measurement '{measurement}' starts with '{measurement[0]}', which line protocol cannot carry there.", nameof(measurement));
        }

        WriteEscaped(measurement, LineTokenKind.Measurement);
        _state = State.InTags;
        _hasField = false;
        return this;
    }

    public LineProtocolWriter Tag(string key, string value)
    {
        Require(State.InTags, "Tag");
        if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"Tag keys and values must not be empty (key '{key}').");
        }

        WriteByte((byte)',');
        WriteEscaped(key, LineTokenKind.Key);
        WriteByte((byte)'=');
        WriteEscaped(value, LineTokenKind.Key);
        return this;
    }

    public LineProtocolWriter Field(string key, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"Field '{key}' is {value}; line protocol has no NaN or infinity.", nameof(value));
        }

        FieldKey(key);
        WriteFormatted(value);
        return this;
    }

    public LineProtocolWriter Field(string key, long value)
    {
        FieldKey(key);
        WriteFormatted(value);
        WriteByte((byte)'i');
        return this;
    }

    public LineProtocolWriter FieldUnsigned(string key, ulong value)
    {
        FieldKey(key);
        WriteFormatted(value);
        WriteByte((byte)'u');
        return this;
    }

    public LineProtocolWriter Field(string key, bool value)
    {
        FieldKey(key);
        WriteAscii(value ? "true" : "false");
        return this;
    }

    public LineProtocolWriter Field(string key, string value)
    {
        FieldKey(key);
        WriteByte((byte)'"');
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.Value is '"' or '\\')
            {
                WriteByte((byte)'\\');
            }

            WriteRune(rune);
        }

        WriteByte((byte)'"');
        return this;
    }

    /// <summary>Ends the line with a timestamp already in <see cref="Precision"/> units, or none.</summary>
    public void EndLine(long? timestamp = null)
    {
        if (_state == State.BetweenLines || !_hasField)
        {
            throw new InvalidOperationException("A line needs a measurement and at least one field before it ends.");
        }

        if (timestamp is { } ts)
        {
            WriteByte((byte)' ');
            WriteFormatted(ts);
        }

        WriteByte((byte)'\n');
        _state = State.BetweenLines;
    }

    public void EndLine(DateTimeOffset time) => EndLine(TimestampPrecisions.ToTimestamp(time, Precision));

    private void FieldKey(string key)
    {
        if (_state == State.BetweenLines)
        {
            throw new InvalidOperationException("Field written before BeginLine.");
        }

        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("A field key must not be empty.", nameof(key));
        }

        if (key[0] is '\t' or '\0')
        {
            // InfluxDB skips tabs and NULs before the field section, and neither can be escaped
            throw new ArgumentException($"Field key '{key}' starts with a tab or NUL, which line protocol cannot carry there.", nameof(key));
        }

        WriteByte(_hasField ? (byte)',' : (byte)' ');
        WriteEscaped(key, LineTokenKind.FieldKey);
        WriteByte((byte)'=');
        _state = State.InFields;
        _hasField = true;
    }

    private void Require(State state, string operation)
    {
        if (_state != state)
        {
            throw new InvalidOperationException($"{operation} is not allowed here (writer is {_state}).");
        }
    }

    private void WriteEscaped(string text, LineTokenKind kind)
    {
        if (text.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{text.ReplaceLineEndings("\\n")}' holds a newline, which line protocol cannot carry in a name or tag.");
        }

        var i = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            i += rune.Utf16SequenceLength;
            if (rune.Value == '\\' && (i == text.Length || (text[i] < 128 && LineEscaping.IsEscapable(kind, (byte)text[i]))))
            {
                throw new ArgumentException(i == text.Length
                    ? $"'{text}' ends with a backslash, which InfluxDB would read as escaping the delimiter after it."
                    : $"'{text}' holds a backslash before '{text[i]}', which InfluxDB would read as an escape.");
            }

            if (rune.Value is ',' or ' ' || (rune.Value == '=' && kind != LineTokenKind.Measurement))
            {
                WriteByte((byte)'\\');
            }

            WriteRune(rune);
        }
    }

    private void WriteRune(Rune rune)
    {
        var span = output.GetSpan(4);
        var written = rune.EncodeToUtf8(span);
        output.Advance(written);
    }

    private void WriteByte(byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }

    private void WriteAscii(string text)
    {
        var span = output.GetSpan(text.Length);
        var n = Encoding.ASCII.GetBytes(text, span);
        output.Advance(n);
    }

    private void WriteFormatted(double value)
    {
        var span = output.GetSpan(32);
        // "R" gives the shortest text that round-trips; Utf8Formatter has no "R", so use the invariant culture.
        if (!value.TryFormat(span, out var n, "R", System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("double did not fit in 32 bytes");
        }

        output.Advance(n);
    }

    private void WriteFormatted(long value)
    {
        var span = output.GetSpan(24);
        Utf8Formatter.TryFormat(value, span, out var n);
        output.Advance(n);
    }

    private void WriteFormatted(ulong value)
    {
        var span = output.GetSpan(24);
        Utf8Formatter.TryFormat(value, span, out var n);
        output.Advance(n);
    }
}
