using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Predictor.Telemetry.Scrape;

/// <summary>
/// Parses the Prometheus text exposition format (version 0.0.4): <c># HELP</c>/<c># TYPE</c> and other
/// comments, <c>name{label="value",…} value [timestamp]</c> with label values escaping <c>\\</c>, <c>\"</c>
/// and <c>\n</c>, and values including <c>NaN</c>, <c>+Inf</c> and <c>-Inf</c>. A bad line is reported with
/// its position and the rest are still returned.
/// </summary>
public static class PrometheusTextParser
{
    public static (List<PrometheusSample> Samples, List<PrometheusParseError> Errors) Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        var errors = new List<PrometheusParseError>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            var start = 0;
            while (start < line.Length && line[start] is ' ' or '\t')
            {
                start++;
            }

            if (start == line.Length || line[start] == '#')
            {
                continue;
            }

            if (TryParseLine(line, start, out var sample, out var column, out var reason))
            {
                samples.Add(sample!);
            }
            else
            {
                errors.Add(new PrometheusParseError(lineNumber, column + 1, reason!));
            }
        }

        return (samples, errors);
    }

    private static bool TryParseLine(string line, int pos, out PrometheusSample? sample, out int column, out string? reason)
    {
        sample = null;
        var nameStart = pos;
        while (pos < line.Length && IsNameChar(line[pos], pos == nameStart))
        {
            pos++;
        }

        if (pos == nameStart)
        {
            return Fail(pos, "expected a metric name", out column, out reason);
        }

        var name = line[nameStart..pos];
        var labels = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (pos < line.Length && line[pos] == '{')
        {
            pos++;
            while (true)
            {
                SkipBlanks(line, ref pos);
                if (pos < line.Length && line[pos] == '}')
                {
                    pos++;
                    break;
                }

                var labelStart = pos;
                while (pos < line.Length && IsNameChar(line[pos], pos == labelStart) && line[pos] != ':')
                {
                    pos++;
                }

                if (pos == labelStart)
                {
                    return Fail(pos, "expected a label name or '}'", out column, out reason);
                }

                var label = line[labelStart..pos];
                SkipBlanks(line, ref pos);
                if (pos >= line.Length || line[pos] != '=')
                {
                    return Fail(pos, $"expected '=' after label '{label}'", out column, out reason);
                }

                pos++;
                SkipBlanks(line, ref pos);
                if (pos >= line.Length || line[pos] != '"')
                {
                    return Fail(pos, $"expected '\"' to open the value of label '{label}'", out column, out reason);
                }

                var open = pos++;
                var value = new StringBuilder();
                while (true)
                {
                    if (pos >= line.Length)
                    {
                        return Fail(open, $"unterminated value of label '{label}'", out column, out reason);
                    }

                    var c = line[pos++];
                    if (c == '"')
                    {
                        break;
                    }

                    if (c == '\\' && pos < line.Length)
                    {
                        var e = line[pos++];
                        if (e is not ('n' or '\\' or '"'))
                        {
                            return Fail(pos - 2, $"invalid escape '\\{e}' in the value of label '{label}'", out column, out reason);
                        }

                        value.Append(e == 'n' ? '\n' : e);
                        continue;
                    }

                    value.Append(c);
                }

                if (!labels.TryAdd(label, value.ToString()))
                {
                    return Fail(labelStart, $"duplicate label '{label}'", out column, out reason);
                }

                SkipBlanks(line, ref pos);
                if (pos < line.Length && line[pos] == ',')
                {
                    pos++;
                    continue;
                }

                if (pos < line.Length && line[pos] == '}')
                {
                    pos++;
                    break;
                }

                return Fail(pos, "expected ',' or '}' after a label value", out column, out reason);
            }
        }

        if (pos >= line.Length || line[pos] is not (' ' or '\t'))
        {
            return Fail(pos, "expected a space before the value", out column, out reason);
        }

        SkipBlanks(line, ref pos);
        var valueStart = pos;
        while (pos < line.Length && line[pos] is not (' ' or '\t'))
        {
            pos++;
        }

        if (!TryParseValue(line.AsSpan(valueStart, pos - valueStart), out var number))
        {
            return Fail(valueStart, $"invalid value '{line[valueStart..pos]}': expected a float, NaN, +Inf or -Inf", out column, out reason);
        }

        SkipBlanks(line, ref pos);
        long? timestamp = null;
        if (pos < line.Length)
        {
            var tsStart = pos;
            while (pos < line.Length && line[pos] is not (' ' or '\t'))
            {
                pos++;
            }

            if (!long.TryParse(line.AsSpan(tsStart, pos - tsStart), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ts))
            {
                return Fail(tsStart, $"invalid timestamp '{line[tsStart..pos]}': expected integer milliseconds", out column, out reason);
            }

            timestamp = ts;
            SkipBlanks(line, ref pos);
            if (pos < line.Length)
            {
                return Fail(pos, "unexpected text after the timestamp", out column, out reason);
            }
        }

        sample = new PrometheusSample(name, labels.ToImmutable(), number, timestamp);
        column = 0;
        reason = null;
        return true;
    }

    private static bool TryParseValue(ReadOnlySpan<char> text, out double value)
    {
        switch (text)
        {
            case "NaN":
                value = double.NaN;
                return true;
            case "+Inf" or "Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && text.Length > 0 && !char.IsLetter(text[^1]);
    }

    private static bool IsNameChar(char c, bool first) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or ':' || (!first && c is >= '0' and <= '9');

    private static void SkipBlanks(string line, ref int pos)
    {
        while (pos < line.Length && line[pos] is ' ' or '\t')
        {
            pos++;
        }
    }

    private static bool Fail(int at, string why, out int column, out string? reason)
    {
        column = at;
        reason = why;
        return false;
    }
}
