using System.Text.Json;

namespace Predictor.Learning.Models;

/// <summary>Typed access to a JSON object's fields that records a path-named error instead of throwing.</summary>
internal sealed class Fields(JsonElement element, string path, List<string> errors)
{
    public JsonElement? Get(string name, bool required = true)
    {
        if (element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            return value;
        }

        if (required)
        {
            errors.Add($"{path}.{name}: required field is missing");
        }

        return null;
    }

    public string? String(string name, bool required = true)
    {
        if (Get(name, required) is not { } v)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{path}.{name}: expected a string, got {v.ValueKind}");
            return null;
        }

        return v.GetString();
    }

    public double Number(string name)
    {
        if (Get(name) is not { } v)
        {
            return double.NaN;
        }

        if (v.ValueKind != JsonValueKind.Number)
        {
            errors.Add($"{path}.{name}: expected a number, got {v.ValueKind}");
            return double.NaN;
        }

        return v.GetDouble();
    }

    public JsonElement? Object(string name)
    {
        if (Get(name) is not { } v)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}.{name}: expected an object, got {v.ValueKind}");
            return null;
        }

        return v;
    }

    public JsonElement? Array(string name)
    {
        if (Get(name) is not { } v)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{path}.{name}: expected an array, got {v.ValueKind}");
            return null;
        }

        return v;
    }

    public string[]? Strings(string name) => Items(name, JsonValueKind.String, "a string", e => e.GetString()!);

    public double[]? Doubles(string name) => Items(name, JsonValueKind.Number, "a number", e => e.GetDouble());

    public float[]? Floats(string name) => Items(name, JsonValueKind.Number, "a number", e => e.GetSingle());

    public bool[]? Bools(string name)
    {
        if (Array(name) is not { } array)
        {
            return null;
        }

        var result = new List<bool>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                errors.Add($"{path}.{name}[{i}]: expected true or false, got {item.ValueKind}");
                return null;
            }

            result.Add(item.GetBoolean());
            i++;
        }

        return [.. result];
    }

    public int[]? Ints(string name) => Items(name, JsonValueKind.Number, "an integer", e => e.TryGetInt32(out var v) ? v : (int?)null);

    public static float[]? ToFloats(JsonElement array, string path, List<string> errors) =>
        new Fields(array, path, errors).ItemsOf(array, path, JsonValueKind.Number, "a number", e => e.GetSingle());

    private T[]? Items<T>(string name, JsonValueKind kind, string expected, Func<JsonElement, T> read) =>
        Array(name) is { } array ? ItemsOf(array, $"{path}.{name}", kind, expected, read) : null;

    private int[]? Items(string name, JsonValueKind kind, string expected, Func<JsonElement, int?> read)
    {
        if (Array(name) is not { } array)
        {
            return null;
        }

        var result = new List<int>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != kind || read(item) is not { } value)
            {
                errors.Add($"{path}.{name}[{i}]: expected {expected}");
                return null;
            }

            result.Add(value);
            i++;
        }

        return [.. result];
    }

    private T[]? ItemsOf<T>(JsonElement array, string at, JsonValueKind kind, string expected, Func<JsonElement, T> read)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{at}: expected an array, got {array.ValueKind}");
            return null;
        }

        var result = new List<T>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != kind)
            {
                errors.Add($"{at}[{i}]: expected {expected}, got {item.ValueKind}");
                return null;
            }

            result.Add(read(item));
            i++;
        }

        return [.. result];
    }
}
