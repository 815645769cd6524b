namespace Predictor.Telemetry.LineProtocol;

/// <summary>
/// Where a line ends, by InfluxDB's rule for splitting a batch before it parses any line: at the first newline
/// outside a quoted string value. A backslash skips the byte after it (a newline too) unless it is among the last two
/// bytes of the batch; once a space has been seen, unquoted '=' and ',' are counted, and a double quote opens or
/// closes a string where a value may start (more '=' than ',').
/// </summary>
internal static class LineBoundary
{
    public static int FindEnd(ReadOnlySpan<byte> buffer, int start)
    {
        var inFields = false;
        var quoted = false;
        var equals = 0;
        var commas = 0;
        var i = start;
        while (i < buffer.Length)
        {
            var b = buffer[i];
            if (b == (byte)'\\' && i + 2 < buffer.Length)
            {
                i += 2;
                continue;
            }

            inFields |= b == (byte)' ';
            if (inFields)
            {
                if (!quoted && b == (byte)'=')
                {
                    equals++;
                    i++;
                    continue;
                }

                if (!quoted && b == (byte)',')
                {
                    commas++;
                    i++;
                    continue;
                }

                if (b == (byte)'"' && equals > commas)
                {
                    quoted = !quoted;
                    i++;
                    continue;
                }
            }

            if (b == (byte)'\n' && !quoted)
            {
                return i;
            }

            i++;
        }

        return buffer.Length;
    }
}
