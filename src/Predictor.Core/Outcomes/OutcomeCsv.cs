using System.Globalization;
using System.Text;

namespace Predictor.Core.Outcomes;

/// <summary>
/// Reads failure and repair records exported from a ticket system or RMA list: a CSV with a header naming at least
/// <c>host</c> and <c>time</c> (also accepted: <c>at</c>, <c>fails_at</c> as <c>predictor simulate</c>'s labels.csv writes it),
/// and optionally <c>kind</c> (failed, repaired, decommissioned, evacuated, released; default failed), <c>component</c>,
/// <c>cause</c>, <c>source</c> (default the file's name) and <c>detail</c>. Times are ISO 8601 with a zone (<c>Z</c> or an
/// offset). Fields may be quoted as RFC 4180 says. Other columns are ignored and named in <see cref="Result.Ignored"/>.
/// Every bad line is reported with its line number and field; one bad line rejects the file (nothing half-imported).
/// </summary>
public static class OutcomeCsv
{
    private static readonly string[] s_timeColumns = ["time", "at", "fails_at"];

    /// <summary>What was read: the outcomes and the columns that were ignored.</summary>
    public sealed record Result(IReadOnlyList<HostOutcome> Outcomes, IReadOnlyList<string> Ignored);

    /// <summary>Reads a file; see <see cref="Parse"/>.</summary>
    public static Result Load(string path, string? defaultSource = null)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Parse(reader, path, defaultSource ?? Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Parses the CSV.</summary>
    /// <exception cref="OutcomeCsvException">The header or any line is bad; every problem is listed (up to 50).</exception>
    public static Result Parse(TextReader reader, string name, string defaultSource)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var errors = new List<string>();
        var records = new RecordReader(reader);
        var header = records.Next(out var headerLine);
        if (header is null)
        {
            throw new OutcomeCsvException(name, [$"{name}: empty file; expected a header such as host,time,component,cause,source"]);
        }

        var columns = header.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        int Column(params string[] names) => Array.FindIndex(columns, c => names.Contains(c, StringComparer.Ordinal));
        var host = Column("host");
        var time = Column(s_timeColumns);
        var kind = Column("kind");
        var component = Column("component");
        var cause = Column("cause");
        var source = Column("source");
        var detail = Column("detail");
        if (host < 0)
        {
            errors.Add($"{name}:{headerLine}: the header has no 'host' column (got {string.Join(",", header)})");
        }

        if (time < 0)
        {
            errors.Add($"{name}:{headerLine}: the header has no time column; expected one of {string.Join(", ", s_timeColumns.Select(c => $"'{c}'"))} (got {string.Join(",", header)})");
        }

        if (errors.Count > 0)
        {
            throw new OutcomeCsvException(name, errors);
        }

        var known = new[] { host, time, kind, component, cause, source, detail };
        var ignored = columns.Where((_, i) => !known.Contains(i)).ToList();
        var outcomes = new List<HostOutcome>();
        for (var fields = records.Next(out var line); fields is not null; fields = records.Next(out line))
        {
            if (fields.Length == 1 && fields[0].Length == 0)
            {
                continue; // a blank line
            }

            if (fields.Length != columns.Length)
            {
                errors.Add($"{name}:{line}: {fields.Length} fields, but the header has {columns.Length}");
                continue;
            }

            string? Field(int index) => index < 0 || string.IsNullOrWhiteSpace(fields[index]) ? null : fields[index].Trim();
            var lineErrors = errors.Count;
            var hostId = Field(host);
            if (hostId is null)
            {
                errors.Add($"{name}:{line}: field 'host' is empty");
            }

            var at = default(DateTimeOffset);
            if (Field(time) is not { } timeText)
            {
                errors.Add($"{name}:{line}: field '{columns[time]}' is empty; expected a time such as 2026-01-05T10:00:00Z");
            }
            else if (!TryParseTime(timeText, out at))
            {
                errors.Add($"{name}:{line}: field '{columns[time]}' is not an ISO 8601 time with a zone (got '{timeText}'; expected e.g. 2026-01-05T10:00:00Z)");
            }

            var outcomeKind = OutcomeKind.Failed;
            if (Field(kind) is { } kindText && !HostOutcome.TryParseKind(kindText, out outcomeKind))
            {
                errors.Add($"{name}:{line}: field 'kind' is unknown (got '{kindText}'; expected one of {string.Join(", ", Enum.GetValues<OutcomeKind>().Select(HostOutcome.Name))})");
            }

            if (errors.Count == lineErrors)
            {
                outcomes.Add(new HostOutcome(hostId!, at, outcomeKind, Field(component), Field(cause), Field(source) ?? defaultSource, Detail: Field(detail)));
            }

            if (errors.Count >= 50)
            {
                errors.Add($"{name}: stopped after 50 errors");
                break;
            }
        }

        return errors.Count > 0 ? throw new OutcomeCsvException(name, errors) : new Result(outcomes, ignored);
    }

    /// <summary>An ISO 8601 time that names its zone (a time without one is ambiguous across the fleet's sites).</summary>
    public static bool TryParseTime(string text, out DateTimeOffset time)
    {
        time = default;
        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
            && parsed.Kind != DateTimeKind.Unspecified
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    /// <summary>Reads records (RFC 4180: quoted fields may hold commas, quotes as "" and line breaks), counting lines.</summary>
    private sealed class RecordReader(TextReader reader)
    {
        private int _line;

        /// <summary>The next record and the line it starts on; null at the end.</summary>
        public string[]? Next(out int line)
        {
            line = ++_line;
            var first = reader.Read();
            if (first < 0)
            {
                return null;
            }

            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            for (var c = first; ; c = reader.Read())
            {
                if (quoted)
                {
                    if (c < 0)
                    {
                        break;
                    }

                    if (c == '"' && reader.Peek() == '"')
                    {
                        field.Append('"');
                        reader.Read();
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        _line += c == '\n' ? 1 : 0;
                        field.Append((char)c);
                    }
                }
                else if (c is < 0 or '\n')
                {
                    break;
                }
                else if (c == '"' && field.Length == 0)
                {
                    quoted = true;
                }
                else if (c == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                }
                else if (c != '\r')
                {
                    field.Append((char)c);
                }
            }

            fields.Add(field.ToString());
            return [.. fields];
        }
    }
}

/// <summary>An outcomes CSV that could not be read; <see cref="Errors"/> names each line and field.</summary>
public sealed class OutcomeCsvException(string source, IReadOnlyList<string> errors)
    : Exception($"{source} is invalid ({errors.Count} {(errors.Count == 1 ? "error" : "errors")}):{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors)}")
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
