using System.Collections.Immutable;
using System.Text.Json;

namespace Predictor.Telemetry.Influx;

/// <summary>Reads one JSON object of an InfluxQL response (a whole response, or one chunk of a chunked one).</summary>
internal static class InfluxQueryJson
{
    public static List<InfluxSeries> ParseChunk(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.TryGetProperty("error", out var topError))
        {
            throw new InfluxException($"InfluxDB query failed: {topError.GetString()}");
        }

        var list = new List<InfluxSeries>();
        if (!root.TryGetProperty("results", out var results))
        {
            return list;
        }

        foreach (var result in results.EnumerateArray())
        {
            var statementId = result.TryGetProperty("statement_id", out var sid) ? sid.GetInt32() : 0;
            if (result.TryGetProperty("error", out var error))
            {
                throw new InfluxException($"InfluxDB query statement {statementId} failed: {error.GetString()}");
            }

            if (!result.TryGetProperty("series", out var series))
            {
                continue;
            }

            foreach (var s in series.EnumerateArray())
            {
                var name = s.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
                var tags = ImmutableDictionary<string, string>.Empty;
                if (s.TryGetProperty("tags", out var t))
                {
                    tags = t.EnumerateObject().ToImmutableDictionary(p => p.Name, p => p.Value.GetString() ?? "");
                }

                var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString() ?? "").ToImmutableArray();
                var values = s.TryGetProperty("values", out var v)
                    ? v.EnumerateArray().Select(row => row.EnumerateArray().Select(ToValue).ToImmutableArray()).ToImmutableArray()
                    : [];
                list.Add(new InfluxSeries(statementId, name, tags, columns, values));
            }
        }

        return list;
    }

    private static object? ToValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.TryGetInt64(out var l) ? (object)l : e.GetDouble(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => e.GetRawText(),
    };
}
