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
/// Streams InfluxDB line protocol over UTF-8 bytes, accepting exactly the lines InfluxDB 1.x accepts and reading
/// them as it does (the grammar in <see cref="LineGrammar"/>). Each <see cref="Read"/> validates one whole line and
/// parses its values, so a point is either entirely valid or reported as an error with its line, column and reason
/// (the valid lines around it are still returned: InfluxDB's partial write). Names and strings stay as spans of the
/// input until the consumer asks for text; nothing is allocated per valid point. Blank lines and lines starting with
/// <c>#</c> are skipped; string field values may span lines.
/// </summary>
public ref struct LineProtocolReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly LineProtocolScratch _scratch;
    private readonly bool _unsignedIntegers;
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
    /// <param name="unsignedIntegers">Whether <c>12u</c> fields are accepted; InfluxDB 1.x refuses them ("invalid number").</param>
    public LineProtocolReader(ReadOnlySpan<byte> utf8, TimestampPrecision precision = TimestampPrecision.Nanoseconds, LineProtocolScratch? scratch = null, bool unsignedIntegers = true)
    {
        _buffer = utf8;
        Precision = precision;
        _scratch = scratch ?? new LineProtocolScratch();
        _unsignedIntegers = unsignedIntegers;
    }

    public TimestampPrecision Precision { get; }

    /// <summary>The error of the last <see cref="Read"/> that returned <see cref="LineReadResult.Error"/>.</summary>
    public readonly LineProtocolError? Error => _error;

    /// <summary>The bytes of the current point's line, without leading whitespace or its line ending (to forward or spool it as it came).</summary>
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
        var key = new LineToken(_buffer.Slice(slot.KeyStart, slot.KeyLength), LineTokenKind.FieldKey, slot.KeyEscaped);
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
        while (pos < buffer.Length)
        {
            // InfluxDB splits the batch first (newlines inside quoted string values do not end a line), then skips
            // blank lines and comments.
            var end = LineBoundary.FindEnd(buffer, pos);
            var next = end < buffer.Length ? end + 1 : end;
            var start = LineGrammar.SkipWhitespace(buffer[..end], pos);
            if (start == end || buffer[start] == (byte)'#')
            {
                pos = next;
                continue;
            }

            _lineStart = start;
            _lineEnd = end;
            _position = next;
            var failAt = ParseLine(buffer[start..end], out var reason);
            if (failAt < 0)
            {
                return LineReadResult.Point;
            }

            _error = MakeError(start + failAt, reason!);
            return LineReadResult.Error;
        }

        _position = pos;
        return LineReadResult.End;
    }

    /// <summary>Parses one line (without its ending); returns -1, or the offset in it of the first bad byte.</summary>
    private int ParseLine(ReadOnlySpan<byte> line, out string? reason)
    {
        _tagCount = 0;
        _fieldCount = 0;
        _hasTimestamp = false;
        _timestamp = 0;
        var offset = _lineStart;

        var i = LineGrammar.ScanMeasurement(line, out reason);
        if (reason is not null)
        {
            return i;
        }

        _measurementEnd = offset + i;
        _measurementEscaped = line[..i].Contains((byte)'\\');

        while (line[i] == (byte)',')
        {
            var keyStart = i + 1;
            i = LineGrammar.ScanTagKey(line, keyStart, out var missing);
            if (missing)
            {
                reason = i == keyStart ? "missing tag key" : $"expected '=' after tag key '{Name(line, keyStart, i, LineTokenKind.Key)}'";
                return i;
            }

            var keyEnd = i;
            var valueStart = i + 1;
            i = LineGrammar.ScanTagValue(line, valueStart, out var problem);
            if (problem != LineGrammar.TagValueProblem.None)
            {
                reason = problem switch
                {
                    LineGrammar.TagValueProblem.Empty => $"missing tag value for key '{Name(line, keyStart, keyEnd, LineTokenKind.Key)}'",
                    LineGrammar.TagValueProblem.UnescapedEquals => $"unescaped '=' in the value of tag '{Name(line, keyStart, keyEnd, LineTokenKind.Key)}'",
                    _ => "missing fields",
                };
                return i;
            }

            if (IsDuplicateTag(line.Slice(keyStart, keyEnd - keyStart), offset))
            {
                reason = $"duplicate tag key '{Name(line, keyStart, keyEnd, LineTokenKind.Key)}'";
                return keyStart;
            }

            ref var tag = ref _scratch.AddTag(_tagCount++);
            tag.KeyStart = offset + keyStart;
            tag.KeyLength = keyEnd - keyStart;
            tag.KeyEscaped = line[keyStart..keyEnd].Contains((byte)'\\');
            tag.ValueStart = offset + valueStart;
            tag.ValueLength = i - valueStart;
            tag.ValueEscaped = line[valueStart..i].Contains((byte)'\\');
        }

        // the series key (measurement and tags as written) is what InfluxDB bounds
        var keyLength = i;
        if (keyLength > LineGrammar.MaxKeyLength)
        {
            reason = $"series key of {keyLength} bytes is longer than InfluxDB's {LineGrammar.MaxKeyLength}";
            return 0;
        }

        var fieldsStart = LineGrammar.SkipWhitespace(line, i);
        var fieldsEnd = LineGrammar.ScanFields(line, fieldsStart, _unsignedIntegers, out var bad, out reason);
        if (reason is not null)
        {
            return bad;
        }

        var failAt = SplitFields(line, fieldsStart, fieldsEnd, keyLength, out reason);
        if (failAt >= 0)
        {
            return failAt;
        }

        return ParseTimestamp(line, fieldsEnd, out reason);
    }

    /// <summary>
    /// Splits the validated field section as InfluxDB stores it (each key up to the first '=' not preceded by a
    /// backslash, each value up to the next unquoted comma) and parses every value.
    /// </summary>
    private int SplitFields(ReadOnlySpan<byte> line, int start, int end, int keyLength, out string? reason)
    {
        reason = null;
        var offset = _lineStart;
        var i = start;
        while (i < end)
        {
            var keyStart = i;
            var equals = LineGrammar.FindUnescaped(line[..end], i, (byte)'=');
            if (equals > end - 2)
            {
                reason = $"invalid field key '{Encoding.UTF8.GetString(line[keyStart..Math.Min(equals, end)])}': no value follows it";
                return keyStart;
            }

            if (keyLength + 4 + (equals - keyStart) > LineGrammar.MaxKeyLength)
            {
                reason = $"series key of {keyLength} bytes with field '{Name(line, keyStart, equals, LineTokenKind.FieldKey)}' is longer than InfluxDB's {LineGrammar.MaxKeyLength}";
                return keyStart;
            }

            var valueStart = equals + 1;
            var valueEnd = LineGrammar.FieldValueEnd(line[..end], valueStart);
            ref var field = ref _scratch.AddField(_fieldCount);
            field.KeyStart = offset + keyStart;
            field.KeyLength = equals - keyStart;
            field.KeyEscaped = line[keyStart..equals].Contains((byte)'\\');
            var bad = ParseFieldValue(line[valueStart..valueEnd], ref field, offset + valueStart, out reason);
            if (bad >= 0)
            {
                reason = $"{reason} for field '{Name(line, keyStart, equals, LineTokenKind.FieldKey)}'";
                return valueStart + bad;
            }

            _fieldCount++;
            i = valueEnd + 1;
        }

        return -1;
    }

    /// <summary>Types and parses a value the way InfluxDB's field iterator does (by its first and last byte).</summary>
    private static int ParseFieldValue(ReadOnlySpan<byte> text, ref FieldSlot field, int absoluteStart, out string? reason)
    {
        reason = null;
        field.ValueStart = absoluteStart;
        field.ValueLength = text.Length;
        field.ValueEscaped = false;
        field.Bits = 0;
        if (text.IsEmpty)
        {
            reason = "missing value";
            return 0;
        }

        var first = text[0];
        if (first == (byte)'"')
        {
            // InfluxDB drops the first and the last byte, whatever follows the closing quote
            field.Kind = LineFieldKind.String;
            field.ValueStart = absoluteStart + 1;
            field.ValueLength = Math.Max(text.Length - 2, 0);
            field.ValueEscaped = text.Contains((byte)'\\');
            return -1;
        }

        if ("0123456789-.nNiIu"u8.IndexOf(first) < 0)
        {
            field.Kind = LineFieldKind.Boolean;
            field.Bits = first is (byte)'t' or (byte)'T' ? 1 : 0;
            return -1;
        }

        LineNumbers.Result result;
        if (text[^1] == (byte)'i')
        {
            field.Kind = LineFieldKind.Integer;
            result = LineNumbers.TryParseInt64(text[..^1], out var l);
            field.Bits = l;
        }
        else if (text[^1] == (byte)'u')
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

        reason = $"invalid number '{Encoding.UTF8.GetString(text)}'";
        return 0;
    }

    /// <summary>The optional timestamp after the fields: an integer, then nothing but spaces.</summary>
    private int ParseTimestamp(ReadOnlySpan<byte> line, int fieldsEnd, out string? reason)
    {
        reason = null;
        var start = LineGrammar.SkipWhitespace(line, fieldsEnd);
        var end = LineGrammar.ScanTimestamp(line, start, out var bad);
        if (bad >= 0)
        {
            reason = $"invalid timestamp '{Encoding.UTF8.GetString(Token(line, start))}': expected an integer";
            return start;
        }

        if (end == start)
        {
            return -1;
        }

        var text = line[start..end];
        if (LineNumbers.TryParseInt64(text, out var ts) != LineNumbers.Result.Ok)
        {
            reason = text.SequenceEqual("-"u8)
                ? "invalid timestamp '-': expected an integer"
                : $"timestamp '{Encoding.UTF8.GetString(text)}' is out of range";
            return start;
        }

        if (!TimestampPrecisions.InRange(ts, Precision))
        {
            reason = $"timestamp '{ts}' is out of range for precision {TimestampPrecisions.Name(Precision)} (InfluxDB stores times from 1677-09-21 to 2262-04-11)";
            return start;
        }

        for (var i = end; i < line.Length; i++)
        {
            if (line[i] != (byte)' ')
            {
                reason = "unexpected text after the timestamp";
                return i;
            }
        }

        _timestamp = ts;
        _hasTimestamp = true;
        return -1;
    }

    private static ReadOnlySpan<byte> Token(ReadOnlySpan<byte> line, int start)
    {
        var end = line[start..].IndexOf((byte)' ');
        return end < 0 ? line[start..] : line.Slice(start, end);
    }

    /// <summary>InfluxDB compares tag keys as written, escapes included.</summary>
    private readonly bool IsDuplicateTag(ReadOnlySpan<byte> key, int offset)
    {
        for (var i = 0; i < _tagCount; i++)
        {
            ref readonly var other = ref _scratch.Tags[i];
            if (_buffer.Slice(other.KeyStart, other.KeyLength).SequenceEqual(key))
            {
                return true;
            }
        }

        return false;
    }

    private static string Name(ReadOnlySpan<byte> line, int start, int end, LineTokenKind kind) =>
        LineEscaping.ToString(line[start..end], kind, hasEscapes: true);

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
