using System.Text.Json;
using System.Text.Json.Serialization;

namespace Predictor.Core.Plans;

/// <summary>Reads and writes plan.json (see README "Contracts").</summary>
public static class PlanJson
{
    /// <summary>The serializer settings of every Predictor JSON contract: camelCase, enums as documented strings.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public static void Write(MaintenancePlan plan, Stream utf8Json) => JsonSerializer.Serialize(utf8Json, plan, Options);

    public static void WriteFile(MaintenancePlan plan, string path)
    {
        using var stream = File.Create(path);
        Write(plan, stream);
    }

    public static MaintenancePlan Read(Stream utf8Json, string? origin = null)
    {
        try
        {
            return JsonSerializer.Deserialize<MaintenancePlan>(utf8Json, Options)
                ?? throw new InvalidDataException($"Plan{Where(origin)} is empty (the JSON value null).");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Plan{Where(origin)} is not valid plan.json at {e.Path} (line {e.LineNumber + 1}): {e.Message}", e);
        }
    }

    public static MaintenancePlan ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    private static string Where(string? origin) => origin is null ? "" : $" '{origin}'";
}
