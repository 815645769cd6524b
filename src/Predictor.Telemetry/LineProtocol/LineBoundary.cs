namespace Predictor.Telemetry.LineProtocol;

/// <summary>
/// Where a line ends when it cannot be parsed: at the first newline that is neither escaped in a name nor
/// inside a quoted string field value (the same rule InfluxDB uses to split a batch before parsing it).
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
            if (b == (byte)'\\' && i + 1 < buffer.Length && buffer[i + 1] != (byte)'\n')
            {
                i += 2;
                continue;
            }

            if (b == (byte)'\n' && (!quoted || !inFields))
            {
                return i;
            }

            if (b == (byte)' ' && !quoted)
            {
                inFields = true;
            }
            else if (inFields && !quoted && b == (byte)'=')
            {
                equals++;
            }
            else if (inFields && !quoted && b == (byte)',')
            {
                commas++;
            }
            else if (inFields && b == (byte)'"' && (quoted || equals > commas))
            {
                quoted = !quoted;
            }

            i++;
        }

        return buffer.Length;
    }
}
