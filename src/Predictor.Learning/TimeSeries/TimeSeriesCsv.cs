using System.Globalization;

namespace Predictor.Learning.TimeSeries;

/// <summary>A malformed time-series CSV; the message names the file, line and column.</summary>
public sealed class TimeSeriesCsvException : FormatException
{
    public TimeSeriesCsvException(string message)
        : base(message)
    {
    }

    public TimeSeriesCsvException()
    {
    }

    public TimeSeriesCsvException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>One row of a time-series CSV: the timestamp as written, and the value.</summary>
public readonly record struct TimeSeriesRow(string Timestamp, double Value);

/// <summary>
/// Reads <c>timestamp,value</c> CSV: an optional header line (the first line, when its second field starts with a letter), then one
/// row per line with exactly two comma-separated fields, a non-empty timestamp (kept verbatim) and a finite
/// number in invariant culture. Blank lines are skipped. Any other line is an error naming line and column.
/// </summary>
public static class TimeSeriesCsv
{
    public static IReadOnlyList<TimeSeriesRow> Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new List<TimeSeriesRow>();
        int lineNumber = 0;
        bool sawContent = false;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length != 2)
            {
                throw new TimeSeriesCsvException($"{source} line {lineNumber}: expected 2 columns (timestamp,value), got {fields.Length}");
            }

            string timestamp = fields[0].Trim();
            string text = fields[1].Trim();
            bool parsed = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value);
            if (!sawContent)
            {
                sawContent = true;
                if (!parsed && text.Length > 0 && (char.IsLetter(text[0]) || text[0] == '"'))
                {
                    continue; // the header line
                }
            }

            if (timestamp.Length == 0)
            {
                throw new TimeSeriesCsvException($"{source} line {lineNumber}, column 1 (timestamp): expected a timestamp, got an empty field");
            }

            if (!parsed || !double.IsFinite(value))
            {
                throw new TimeSeriesCsvException($"{source} line {lineNumber}, column 2 (value): expected a finite number, got '{text}'");
            }

            rows.Add(new TimeSeriesRow(timestamp, value));
        }

        if (rows.Count == 0)
        {
            throw new TimeSeriesCsvException($"{source}: no data rows (expected lines of timestamp,value)");
        }

        return rows;
    }

    public static IReadOnlyList<TimeSeriesRow> ReadFile(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

}
