using System.Text;

namespace Predictor.Telemetry.LineProtocol;

/// <summary>What <see cref="LineProtocolReader.Read"/> found.</summary>
public enum LineReadResult : byte
{
    /// <summary>The input is exhausted.</summary>
    End,

    /// <summary>A valid point; read it through the reader's members until the next <c>Read</c>.</summary>
    Point,

    /// <summary>A malformed line, described by <see cref="LineProtocolReader.Error"/>; reading continues with the next line.</summary>
    Error,
}

/// <summary>
/// Streams InfluxDB line protocol over UTF-8 bytes. Each <see cref="Read"/> validates one whole line and
/// parses its values, so a point is either entirely valid or reported as an error with its line, column
/// and reason (the valid lines around it are still returned: InfluxDB's partial write). Names and strings
/// stay as spans of the input until the consumer asks for text; nothing is allocated per valid point.
/// Blank lines and lines starting with <c>#</c> are skipped; string field values may span lines.
/// </summary>
public ref struct LineProtocolReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly LineProtocolScratch _scratch;
    private int _position;
    private int _lineStart;
    private int _lineEnd;
    private int _measurementEnd;
    private bool _measurementEscaped;
    private int _tagCount;
    private int _fieldCount;
    private long _timestamp;
    private bool _hasTimestamp;
    private int _newlinesCountedTo;
    private int _newlinesBefore;
    private LineProtocolError? _error;

    /// <param name="utf8">The batch.</param>
    /// <param name="precision">The unit of the timestamps in the batch.</param>
    /// <param name="scratch">Reusable per-line storage; pass one to read many batches without allocating.</param>
    public LineProtocolReader(ReadOnlySpan<byte> utf8, TimestampPrecision precision = TimestampPrecision.Nanoseconds, LineProtocolScratch? scratch = null)
    {
        _buffer = utf8;
        Precision = precision;
        _scratch = scratch ?? new LineProtocolScratch();
    }

    public TimestampPrecision Precision { get; }

    /// <summary>The error of the last <see cref="Read"/> that returned <see cref="LineReadResult.Error"/>.</summary>
    public readonly LineProtocolError? Error => _error;

    /// <summary>The bytes of the current point's line, without its line ending (to forward or spool it as it came).</summary>
    public readonly ReadOnlySpan<byte> RawLine => _buffer[_lineStart.._lineEnd];

    public readonly LineToken Measurement => new(_buffer[_lineStart.._measurementEnd], LineTokenKind.Measurement, _measurementEscaped);

    public readonly int TagCount => _tagCount;

    public readonly int FieldCount => _fieldCount;

    /// <summary>Whether the line carried a timestamp; without one the receiver stamps its own time.</summary>
    public readonly bool HasTimestamp => _hasTimestamp;

    /// <summary>The timestamp as written, in <see cref="Precision"/> units.</summary>
    public readonly long Timestamp => _timestamp;

    public readonly LineTag GetTag(int index)
    {
        ref readonly var slot = ref _scratch.Tags[index];
        return new LineTag(
            new LineToken(_buffer.Slice(slot.KeyStart, slot.KeyLength), LineTokenKind.Key, slot.KeyEscaped),
            new LineToken(_buffer.Slice(slot.ValueStart, slot.ValueLength), LineTokenKind.Key, slot.ValueEscaped));
    }

    public readonly LineField GetField(int index)
    {
        ref readonly var slot = ref _scratch.Fields[index];
        var key = new LineToken(_buffer.Slice(slot.KeyStart, slot.KeyLength), LineTokenKind.Key, slot.KeyEscaped);
        var text = slot.Kind == LineFieldKind.String
            ? new LineToken(_buffer.Slice(slot.ValueStart, slot.ValueLength), LineTokenKind.StringValue, slot.ValueEscaped)
            : default;
        return new LineField(key, slot.Kind, slot.Bits, text);
    }

    /// <summary>Finds a tag by its unescaped key.</summary>
    public readonly bool TryGetTag(ReadOnlySpan<byte> key, out LineToken value)
    {
        for (var i = 0; i < _tagCount; i++)
        {
            var tag = GetTag(i);
            if (tag.Key.Equals(key))
            {
                value = tag.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The point's time: its timestamp, or <paramref name="receivedAt"/> when it has none.</summary>
    public readonly DateTimeOffset GetTime(DateTimeOffset receivedAt) =>
        _hasTimestamp ? TimestampPrecisions.FromTimestamp(_timestamp, Precision) : receivedAt;

    /// <summary>The 1-based physical line on which the current point or error starts.</summary>
    public int LineNumber => CountLinesBefore(_lineStart) + 1;

    public LineReadResult Read()
    {
        _error = null;
        var buffer = _buffer;
        var pos = _position;
        while (true)
        {
            while (pos < buffer.Length && buffer[pos] is (byte)' ' or (byte)'\t')
            {
                pos++;
            }

            if (pos >= buffer.Length)
            {
                _position = pos;
                return LineReadResult.End;
            }

            var b = buffer[pos];
            if (b == (byte)'\n')
            {
                pos++;
                continue;
            }

            if (b == (byte)'\r' && (pos + 1 == buffer.Length || buffer[pos + 1] == (byte)'\n'))
            {
                pos++;
                continue;
            }

            if (b == (byte)'#')
            {
                var nl = buffer[pos..].IndexOf((byte)'\n');
                pos = nl < 0 ? buffer.Length : pos + nl + 1;
                continue;
            }

            break;
        }

        _lineStart = pos;
        var failAt = ParseLine(ref pos, out var reason);
        if (failAt < 0)
        {
            _lineEnd = pos;
            _position = SkipLineEnding(pos);
            return LineReadResult.Point;
        }

        var end = LineBoundary.FindEnd(buffer, _lineStart);
        _lineEnd = end;
        _position = end < buffer.Length ? end + 1 : end;
        _error = MakeError(failAt, reason!);
        return LineReadResult.Error;
    }

    private readonly int SkipLineEnding(int pos)
    {
        if (pos < _buffer.Length && _buffer[pos] == (byte)'\r')
        {
            pos++;
        }

        return pos < _buffer.Length ? pos + 1 : pos;
    }

    /// <summary>Parses the line at <paramref name="pos"/>; returns -1, or the offset of the first bad byte.</summary>
    private int ParseLine(ref int pos, out string? reason)
    {
        var buffer = _buffer;
        reason = null;
        _tagCount = 0;
        _fieldCount = 0;
        _hasTimestamp = false;
        _timestamp = 0;

        // Measurement: up to an unescaped comma or space.
        var start = pos;
        var escaped = false;
        while (pos < buffer.Length)
        {
            var b = buffer[pos];
            if (b == (byte)'\\' && pos + 1 < buffer.Length && buffer[pos + 1] != (byte)'\n')
            {
                escaped = true;
                pos += 2;
                continue;
            }

            if (b is (byte)',' or (byte)' ' or (byte)'\n')
            {
                break;
            }

            pos++;
        }

        if (pos == start)
        {
            reason = "missing measurement";
            return pos;
        }

        _measurementEnd = pos;
        _measurementEscaped = escaped;

        // Tag set.
        while (pos < buffer.Length && buffer[pos] == (byte)',')
        {
            pos++;
            var keyStart = pos;
            var keyEscaped = ScanName(buffer, ref pos);
            if (pos == keyStart)
            {
                reason = "missing tag key";
                return pos;
            }

            if (pos >= buffer.Length || buffer[pos] != (byte)'=')
            {
                reason = $"expected '=' after tag key '{Name(keyStart, pos)}'";
                return pos;
            }

            var keyEnd = pos;
            pos++;
            var valueStart = pos;
            var valueEscaped = ScanName(buffer, ref pos);
            if (pos == valueStart)
            {
                reason = $"missing tag value for key '{Name(keyStart, keyEnd)}'";
                return pos;
            }

            if (pos < buffer.Length && buffer[pos] == (byte)'=')
            {
                reason = $"unescaped '=' in the value of tag '{Name(keyStart, keyEnd)}'";
                return pos;
            }

            if (IsDuplicateTag(keyStart, keyEnd - keyStart, keyEscaped))
            {
                reason = $"duplicate tag key '{Name(keyStart, keyEnd)}'";
                return keyStart;
            }

            ref var tag = ref _scratch.AddTag(_tagCount++);
            tag.KeyStart = keyStart;
            tag.KeyLength = keyEnd - keyStart;
            tag.KeyEscaped = keyEscaped;
            tag.ValueStart = valueStart;
            tag.ValueLength = pos - valueStart;
            tag.ValueEscaped = valueEscaped;
        }

        if (!SkipSpaces(buffer, ref pos))
        {
            reason = "missing fields";
            return pos;
        }

        // Field set.
        while (true)
        {
            var keyStart = pos;
            var keyEscaped = ScanName(buffer, ref pos);
            if (pos == keyStart)
            {
                reason = "missing field key";
                return pos;
            }

            if (pos >= buffer.Length || buffer[pos] != (byte)'=')
            {
                reason = $"expected '=' after field key '{Name(keyStart, pos)}'";
                return pos;
            }

            var keyEnd = pos;
            pos++;
            ref var field = ref _scratch.AddField(_fieldCount);
            field.KeyStart = keyStart;
            field.KeyLength = keyEnd - keyStart;
            field.KeyEscaped = keyEscaped;
            var bad = ParseFieldValue(buffer, ref pos, ref field, keyStart, keyEnd, out reason);
            if (bad >= 0)
            {
                return bad;
            }

            _fieldCount++;
            if (pos < buffer.Length && buffer[pos] == (byte)',')
            {
                pos++;
                continue;
            }

            break;
        }

        if (AtLineEnd(buffer, pos))
        {
            return -1;
        }

        if (buffer[pos] != (byte)' ')
        {
            reason = $"unexpected '{(char)buffer[pos]}' after the value of field '{Name(_scratch.Fields[_fieldCount - 1].KeyStart, _scratch.Fields[_fieldCount - 1].KeyStart + _scratch.Fields[_fieldCount - 1].KeyLength)}'";
            return pos;
        }

        // Optional timestamp.
        if (!SkipSpaces(buffer, ref pos))
        {
            return -1;
        }

        var tsStart = pos;
        while (pos < buffer.Length && buffer[pos] is not ((byte)' ' or (byte)'\n' or (byte)'\r'))
        {
            pos++;
        }

        var tsText = buffer[tsStart..pos];
        switch (LineNumbers.TryParseInt64(tsText, out var ts))
        {
            case LineNumbers.Result.Syntax:
                reason = $"invalid timestamp '{Encoding.UTF8.GetString(tsText)}': expected an integer";
                return tsStart;
            case LineNumbers.Result.Range:
                reason = $"timestamp '{Encoding.UTF8.GetString(tsText)}' is out of range";
                return tsStart;
        }

        if (Precision != TimestampPrecision.Nanoseconds)
        {
            var per = TimestampPrecisions.NanosecondsPer(Precision);
            if (ts > long.MaxValue / per || ts < long.MinValue / per)
            {
                reason = $"timestamp '{ts}' is out of range for precision {TimestampPrecisions.Name(Precision)}";
                return tsStart;
            }
        }

        _timestamp = ts;
        _hasTimestamp = true;
        while (pos < buffer.Length && buffer[pos] == (byte)' ')
        {
            pos++;
        }

        if (!AtLineEnd(buffer, pos))
        {
            reason = "unexpected text after the timestamp";
            return pos;
        }

        return -1;
    }

    private readonly int ParseFieldValue(ReadOnlySpan<byte> buffer, ref int pos, ref FieldSlot field, int keyStart, int keyEnd, out string? reason)
    {
        reason = null;
        if (pos >= buffer.Length || buffer[pos] is (byte)',' or (byte)' ' or (byte)'\n' or (byte)'\r')
        {
            reason = $"missing value for field '{Name(keyStart, keyEnd)}'";
            return pos;
        }

        var first = buffer[pos];
        if (first == (byte)'"')
        {
            var open = pos;
            pos++;
            var escaped = false;
            while (true)
            {
                var rel = buffer[pos..].IndexOfAny((byte)'"', (byte)'\\');
                if (rel < 0)
                {
                    reason = $"unterminated string value for field '{Name(keyStart, keyEnd)}'";
                    return open;
                }

                pos += rel;
                if (buffer[pos] == (byte)'"')
                {
                    break;
                }

                escaped = true;
                pos += 2;
                if (pos > buffer.Length)
                {
                    reason = $"unterminated string value for field '{Name(keyStart, keyEnd)}'";
                    return open;
                }
            }

            field.Kind = LineFieldKind.String;
            field.ValueStart = open + 1;
            field.ValueLength = pos - open - 1;
            field.ValueEscaped = escaped;
            field.Bits = 0;
            pos++;
            return -1;
        }

        var valueStart = pos;
        while (pos < buffer.Length && buffer[pos] is not ((byte)',' or (byte)' ' or (byte)'\n' or (byte)'\r'))
        {
            pos++;
        }

        var text = buffer[valueStart..pos];
        field.ValueStart = valueStart;
        field.ValueLength = text.Length;
        field.ValueEscaped = false;
        var last = text[^1];
        if (first is (byte)'t' or (byte)'T' or (byte)'f' or (byte)'F')
        {
            if (!TryParseBoolean(text, out var truth))
            {
                reason = $"invalid boolean '{Encoding.UTF8.GetString(text)}' for field '{Name(keyStart, keyEnd)}'";
                return valueStart;
            }

            field.Kind = LineFieldKind.Boolean;
            field.Bits = truth ? 1 : 0;
            return -1;
        }

        LineNumbers.Result result;
        if (last == (byte)'i')
        {
            field.Kind = LineFieldKind.Integer;
            result = LineNumbers.TryParseInt64(text[..^1], out var l);
            field.Bits = l;
        }
        else if (last == (byte)'u')
        {
            field.Kind = LineFieldKind.Unsigned;
            result = LineNumbers.TryParseUInt64(text[..^1], out var u);
            field.Bits = unchecked((long)u);
        }
        else
        {
            field.Kind = LineFieldKind.Float;
            result = LineNumbers.TryParseFloat(text, out var d);
            field.Bits = BitConverter.DoubleToInt64Bits(d);
        }

        if (result == LineNumbers.Result.Ok)
        {
            return -1;
        }

        var kindName = field.Kind switch
        {
            LineFieldKind.Integer => "integer",
            LineFieldKind.Unsigned => "unsigned integer",
            _ => "float",
        };
        reason = result == LineNumbers.Result.Range
            ? $"{kindName} '{Encoding.UTF8.GetString(text)}' is out of range for field '{Name(keyStart, keyEnd)}'"
            : field.Kind == LineFieldKind.Float
                ? $"invalid field value '{Encoding.UTF8.GetString(text)}' for field '{Name(keyStart, keyEnd)}': expected a number, an integer (1i), an unsigned integer (1u), a \"string\" or a boolean"
                : $"invalid {kindName} '{Encoding.UTF8.GetString(text)}' for field '{Name(keyStart, keyEnd)}'";
        return valueStart;
    }

    private static bool TryParseBoolean(ReadOnlySpan<byte> text, out bool value)
    {
        value = text[0] is (byte)'t' or (byte)'T';
        return text.Length == 1
            || text.SequenceEqual(value ? "true"u8 : "false"u8)
            || text.SequenceEqual(value ? "True"u8 : "False"u8)
            || text.SequenceEqual(value ? "TRUE"u8 : "FALSE"u8);
    }

    /// <summary>Scans a tag key, tag value or field key up to an unescaped comma, equals sign, space or line end.</summary>
    private static bool ScanName(ReadOnlySpan<byte> buffer, ref int pos)
    {
        var escaped = false;
        while (pos < buffer.Length)
        {
            var b = buffer[pos];
            if (b == (byte)'\\' && pos + 1 < buffer.Length && buffer[pos + 1] != (byte)'\n')
            {
                escaped = true;
                pos += 2;
                continue;
            }

            if (b is (byte)',' or (byte)'=' or (byte)' ' or (byte)'\n')
            {
                break;
            }

            pos++;
        }

        return escaped;
    }

    /// <summary>Skips one or more spaces; false when the line ends there.</summary>
    private static bool SkipSpaces(ReadOnlySpan<byte> buffer, ref int pos)
    {
        while (pos < buffer.Length && buffer[pos] == (byte)' ')
        {
            pos++;
        }

        return !AtLineEnd(buffer, pos);
    }

    private static bool AtLineEnd(ReadOnlySpan<byte> buffer, int pos) =>
        pos >= buffer.Length
        || buffer[pos] == (byte)'\n'
        || (buffer[pos] == (byte)'\r' && (pos + 1 == buffer.Length || buffer[pos + 1] == (byte)'\n'));

    private readonly bool IsDuplicateTag(int keyStart, int keyLength, bool keyEscaped)
    {
        var key = new LineToken(_buffer.Slice(keyStart, keyLength), LineTokenKind.Key, keyEscaped);
        for (var i = 0; i < _tagCount; i++)
        {
            ref readonly var other = ref _scratch.Tags[i];
            var otherKey = _buffer.Slice(other.KeyStart, other.KeyLength);
            if (!keyEscaped && !other.KeyEscaped ? otherKey.SequenceEqual(key.Raw) : key.ToString() == new LineToken(otherKey, LineTokenKind.Key, true).ToString())
            {
                return true;
            }
        }

        return false;
    }

    private readonly string Name(int start, int end) =>
        LineEscaping.ToString(_buffer[start..end], LineTokenKind.Key, hasEscapes: true);

    private int CountLinesBefore(int offset)
    {
        if (offset < _newlinesCountedTo)
        {
            _newlinesCountedTo = 0;
            _newlinesBefore = 0;
        }

        _newlinesBefore += _buffer[_newlinesCountedTo..offset].Count((byte)'\n');
        _newlinesCountedTo = offset;
        return _newlinesBefore;
    }

    private LineProtocolError MakeError(int at, string reason)
    {
        var line = CountLinesBefore(_lineStart) + 1;
        var physicalStart = _buffer[..at].LastIndexOf((byte)'\n') + 1;
        line += _buffer[_lineStart..Math.Max(physicalStart, _lineStart)].Count((byte)'\n');
        var text = _buffer[_lineStart.._lineEnd];
        if (text.Length > 256)
        {
            text = text[..256];
        }

        return new LineProtocolError(line, at - physicalStart + 1, reason, Encoding.UTF8.GetString(text));
    }
}
