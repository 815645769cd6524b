using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Predictor.IntegrationTests.Influx;
using Predictor.Telemetry.LineProtocol;
using Predictor.Telemetry.Push;

namespace Predictor.IntegrationTests.Push.Fidelity;

/// <summary>
/// What a database holds, as sorted lines that compare exactly: field types (<c>F measurement|field|type</c>) and
/// points (<c>P measurement|tags|time|field=value;…</c>, each value with its type). A field whose name has more than one
/// type in the database (across measurements or shards) is listed value by value (<c>V …</c>): InfluxQL's
/// <c>SELECT *</c> would show only one of its types. Times a server stamped itself (lines without a timestamp, each
/// server at its own moment) read "now". What InfluxDB keeps without a value (a series or a field created by a write it
/// then refused) is not data and is left out; <see cref="Series"/> lists the series keys for diagnostics.
/// </summary>
public sealed partial record StoredData(IReadOnlyList<string> Series, IReadOnlyList<string> Lines)
{
    public override string ToString() => string.Join("\n", Lines);

    /// <summary>Everything <paramref name="db"/> holds on the influxd at <paramref name="server"/>.</summary>
    public static async Task<StoredData> QueryAsync(HttpClient http, Uri server, string db, (long From, long To) now)
    {
        using var first = await QueryAsync(http, server, db, "SHOW SERIES; SHOW FIELD KEYS; SELECT * FROM /.*/ GROUP BY *");
        var results = first.RootElement.GetProperty("results");
        var series = SeriesOf(results[0]).SelectMany(s => s.GetProperty("values").EnumerateArray()).Select(v => "S " + Clean(v[0].GetString()!)).Order(StringComparer.Ordinal).ToList();

        var types = new List<(string Name, string Field, string Type)>();
        foreach (var s in SeriesOf(results[1]))
        {
            var name = s.GetProperty("name").GetString()!;
            types.AddRange(s.GetProperty("values").EnumerateArray().Select(v => (name, v[0].GetString()!, v[1].GetString()!)));
        }

        var ambiguous = types.GroupBy(t => t.Field).Where(g => g.Select(t => t.Type).Distinct().Count() > 1).Select(g => g.Key).ToHashSet();
        var typeOf = types.Where(t => !ambiguous.Contains(t.Field)).ToDictionary(t => (t.Name, t.Field), t => t.Type);
        var values = new List<Value>();
        foreach (var s in SeriesOf(results[2]))
        {
            values.AddRange(Rows(s, column => ambiguous.Contains(column) ? null : typeOf.GetValueOrDefault((s.GetProperty("name").GetString()!, column)), now));
        }

        var typed = types.Where(t => ambiguous.Contains(t.Field)).ToList();
        if (typed.Count > 0)
        {
            using var second = await QueryAsync(http, server, db, string.Join("; ", typed.Select(t => $"SELECT {Quote(t.Field)}::{t.Type} FROM {Quote(t.Name)} GROUP BY *")));
            var typedResults = second.RootElement.GetProperty("results");
            for (var i = 0; i < typed.Count; i++)
            {
                foreach (var s in SeriesOf(typedResults[i]))
                {
                    values.AddRange(Rows(s, _ => typed[i].Type, now));
                }
            }
        }

        return new StoredData(series, Render(values, ambiguous));
    }

    /// <summary>
    /// What the push endpoint reads from the same writes, through its own reader and InfluxDB's write-time rules, stored
    /// the way InfluxDB stores points: one value per series, field and time, the last written winning. Lines the endpoint
    /// accepts but InfluxDB refuses when storing (field type conflicts) are left to the comparison of the two influxd.
    /// </summary>
    public static StoredData Read(FidelityCase @case, (long From, long To) now)
    {
        var stored = new Dictionary<(string Name, string Tags, string Time, string Field), Value>();
        foreach (var request in @case.Requests)
        {
            var ok = request.V2 ? TimestampPrecisions.TryParseV2(request.Precision, out var precision) : TimestampPrecisions.TryParseV1(request.Precision, out precision);
            if (!ok)
            {
                continue;
            }

            var reader = new LineProtocolReader(request.Body, precision, unsignedIntegers: false);
            LineReadResult result;
            while ((result = reader.Read()) != LineReadResult.End)
            {
                if (result == LineReadResult.Error || InfluxWriteRules.Refusal(ref reader) is not null)
                {
                    continue;
                }

                var name = Clean(reader.Measurement.ToString());
                var tags = new List<(string Key, string Value)>();
                for (var i = 0; i < reader.TagCount; i++)
                {
                    var tag = reader.GetTag(i);
                    tags.Add((Clean(tag.Key.ToString()), Clean(tag.Value.ToString())));
                }

                var tagText = Tags(tags);
                var time = reader.HasTimestamp ? Time(checked(reader.Timestamp * TimestampPrecisions.NanosecondsPer(precision)), now) : "now";
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var field = reader.GetField(i);
                    var key = Clean(field.Key.ToString());
                    if (key == "time")
                    {
                        continue;
                    }

                    var (type, text) = field.Kind switch
                    {
                        LineFieldKind.Float => ("float", "f:" + field.AsDouble().ToString("R", CultureInfo.InvariantCulture)),
                        LineFieldKind.Integer => ("integer", "i:" + field.AsInt64().ToString(CultureInfo.InvariantCulture)),
                        LineFieldKind.Unsigned => ("unsigned", "i:" + field.AsUInt64().ToString(CultureInfo.InvariantCulture)),
                        LineFieldKind.Boolean => ("boolean", field.AsBoolean() ? "b:true" : "b:false"),
                        _ => ("string", "s:" + Clean(field.AsString())),
                    };
                    stored[(name, tagText, time, key)] = new Value(name, tagText, time, key, type, text);
                }
            }
        }

        var ambiguous = stored.Values.GroupBy(v => v.Field).Where(g => g.Select(v => v.Type).Distinct().Count() > 1).Select(g => g.Key).ToHashSet();
        return new StoredData([], Render(stored.Values, ambiguous));
    }

    private sealed record Value(string Name, string Tags, string Time, string Field, string Type, string Text);

    private static List<string> Render(IEnumerable<Value> values, HashSet<string> ambiguous)
    {
        var list = values.ToList();
        var lines = list.Select(v => $"F {v.Name}|{v.Field}|{v.Type}").Distinct().ToList();
        lines.AddRange(list.Where(v => ambiguous.Contains(v.Field)).Select(v => $"V {v.Name}|{v.Tags}|{v.Time}|{v.Field}={v.Text}"));
        lines.AddRange(list.Where(v => !ambiguous.Contains(v.Field))
            .GroupBy(v => (v.Name, v.Tags, v.Time))
            .Select(g => $"P {g.Key.Name}|{g.Key.Tags}|{g.Key.Time}|{string.Join(";", g.OrderBy(v => v.Field, StringComparer.Ordinal).Select(v => $"{v.Field}={v.Text}"))}"));
        return [.. lines.Order(StringComparer.Ordinal)];
    }

    /// <summary>The non-null values of one result series; <paramref name="typeOf"/> gives a column's field type, null to skip it.</summary>
    private static IEnumerable<Value> Rows(JsonElement s, Func<string, string?> typeOf, (long From, long To) now)
    {
        var name = Clean(s.GetProperty("name").GetString()!);
        var tags = Tags(s.TryGetProperty("tags", out var t)
            ? t.EnumerateObject().Where(p => p.Value.GetString() is { Length: > 0 }).Select(p => (Clean(p.Name), Clean(p.Value.GetString()!))).ToList()
            : []);
        var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
        foreach (var row in s.GetProperty("values").EnumerateArray())
        {
            var time = Time(row[0].GetInt64(), now);
            for (var i = 1; i < columns.Count; i++)
            {
                if (row[i].ValueKind != JsonValueKind.Null && typeOf(columns[i]) is { } type)
                {
                    yield return new Value(name, tags, time, Clean(columns[i]), type, Text(row[i], type));
                }
            }
        }
    }

    private static async Task<JsonDocument> QueryAsync(HttpClient http, Uri server, string db, string influxQl)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, $"query?db={db}&epoch=ns&q={Uri.EscapeDataString(influxQl)}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{InfluxdFixture.AdminUser}:{InfluxdFixture.AdminPassword}")));
        using var response = await http.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static IEnumerable<JsonElement> SeriesOf(JsonElement result) =>
        result.TryGetProperty("series", out var s) ? s.EnumerateArray() : [];

    private static string Quote(string identifier) => "\"" + identifier.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Tags(IEnumerable<(string Key, string Value)> tags) =>
        string.Join(",", tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));

    private static string Time(long nanoseconds, (long From, long To) now) =>
        nanoseconds >= now.From && nanoseconds <= now.To ? "now" : nanoseconds.ToString(CultureInfo.InvariantCulture);

    private static string Text(JsonElement value, string type) => value.ValueKind switch
    {
        JsonValueKind.String => "s:" + Clean(value.GetString()!),
        JsonValueKind.True => "b:true",
        JsonValueKind.False => "b:false",
        _ when type is "integer" or "unsigned" => "i:" + value.GetRawText(),
        _ => "f:" + double.Parse(value.GetRawText(), CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Invalid UTF-8 reads as U+FFFD on both sides, but Go replaces every bad byte and .NET every bad sequence: a run
    /// of replacement characters counts as one. Control characters are shown escaped, so a failure message stays readable.
    /// </summary>
    private static string Clean(string text) =>
        Controls().Replace(Replacements().Replace(text, "\uFFFD"), m => $"\\x{(int)m.Value[0]:x2}");

    [GeneratedRegex("\uFFFD+")]
    private static partial Regex Replacements();

    [GeneratedRegex("[\\x00-\\x1f\\x7f]")]
    private static partial Regex Controls();
}
