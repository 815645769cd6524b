using System.Globalization;
using System.Text.Json;
using Predictor.Core.Inventory;

namespace Predictor.Core.Json;

/// <summary>
/// Reads the fields of one JSON object by name and type, collecting every problem (missing field,
/// wrong type, unknown field with a "did you mean" hint) instead of stopping at the first.
/// </summary>
internal sealed class JsonObjectReader
{
    private readonly JsonElement _element;
    private readonly string _path;
    private readonly List<ValidationError> _errors;

    public JsonObjectReader(JsonElement element, string path, IReadOnlyCollection<string> knownFields, List<ValidationError> errors)
    {
        _element = element;
        _path = path;
        _errors = errors;
        foreach (var property in element.EnumerateObject())
        {
            if (!knownFields.Contains(property.Name))
            {
                var hint = Closest(property.Name, knownFields);
                errors.Add(new($"{path}.{property.Name}", hint is null
                    ? $"unknown field; expected one of {string.Join(", ", knownFields)}"
                    : $"unknown field; did you mean '{hint}'?"));
            }
        }
    }

    public string? String(string name, bool required = true)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Null && !required)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error(name, $"expected a string, got {Describe(value)}");
            return null;
        }

        return value.GetString();
    }

    public double Number(string name, double fallback = double.NaN, bool required = true)
    {
        if (!TryGet(name, required, out var value))
        {
            return required ? double.NaN : fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var d))
        {
            Error(name, $"expected a number, got {Describe(value)}");
            return double.NaN;
        }

        return d;
    }

    public int Integer(string name, int fallback = 0, bool required = true)
    {
        if (!TryGet(name, required, out var value))
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var i))
        {
            Error(name, $"expected a whole number, got {Describe(value)}");
            return fallback;
        }

        return i;
    }

    public bool Boolean(string name, bool fallback = false, bool required = true)
    {
        if (!TryGet(name, required, out var value))
        {
            return fallback;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Error(name, $"expected true or false, got {Describe(value)}");
            return fallback;
        }

        return value.GetBoolean();
    }

    public void Error(string name, string message) => _errors.Add(new($"{_path}.{name}", message));

    private bool TryGet(string name, bool required, out JsonElement value)
    {
        if (_element.TryGetProperty(name, out value))
        {
            return true;
        }

        if (required)
        {
            _errors.Add(new($"{_path}.{name}", "required field is missing"));
        }

        return false;
    }

    internal static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString(),
    };

    /// <summary>The known name nearest to <paramref name="name"/> (ignoring case), if it is close enough to be a typo.</summary>
    internal static string? Closest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var d = Levenshtein(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                (best, bestDistance) = (candidate, d);
            }
        }

        return bestDistance <= Math.Max(2, name.Length / 3) ? best : null;
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    internal static string Position(JsonException e) =>
        e.LineNumber is { } line
            ? string.Create(CultureInfo.InvariantCulture, $"line {line + 1}, byte {e.BytePositionInLine + 1}")
            : "unknown position";
}
