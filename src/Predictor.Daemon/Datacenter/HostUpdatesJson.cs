using System.Text.Json;
using Predictor.Core.Configuration;
using Predictor.Core.Plans;

namespace Predictor.Daemon.Datacenter;

/// <summary>
/// Reads the pending-updates file: a JSON array of <c>{"host", "updateId", "kind"}</c> objects, kind one of
/// <c>hot-patchable</c>, <c>hypervisor</c>, <c>host-component</c>, <c>reboot</c>. Every problem is reported, naming the element and field.
/// </summary>
public static class HostUpdatesJson
{
    private static readonly string[] s_fields = ["host", "updateId", "kind"];

    /// <summary>The update kinds as the file spells them.</summary>
    public static readonly IReadOnlyList<string> KindNames = ["hot-patchable", "hypervisor", "host-component", "reboot"];

    private static readonly UpdateKind[] s_kinds = [UpdateKind.HotPatchable, UpdateKind.Hypervisor, UpdateKind.HostComponent, UpdateKind.Reboot];

    /// <summary>Reads the file; problems go to <paramref name="errors"/>, each prefixed with the file's path. Each update comes with its element's index.</summary>
    public static List<(HostUpdate Update, int Index)> ReadFile(string path, List<string> errors)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.Add(OptionsError.Message(
                DatacenterOptions.SectionName + ":" + nameof(DatacenterOptions.UpdatesPath), $"cannot read the file: {e.Message}", path, "a readable pending-updates file"));
            return [];
        }

        return Read(text, path, errors);
    }

    public static List<(HostUpdate Update, int Index)> Read(string json, string origin, List<string> errors)
    {
        var updates = new List<(HostUpdate Update, int Index)>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            errors.Add($"{origin}: not valid JSON (line {e.LineNumber + 1}): {e.Message}");
            return updates;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                errors.Add($"{origin}: expected an array of {{\"host\", \"updateId\", \"kind\"}} objects, got {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
                return updates;
            }

            var index = -1;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                index++;
                var at = $"{origin}: [{index}]";
                if (element.ValueKind != JsonValueKind.Object)
                {
                    errors.Add($"{at}: expected an object with host, updateId and kind, got {element.ValueKind.ToString().ToLowerInvariant()}");
                    continue;
                }

                foreach (var property in element.EnumerateObject().Where(p => !s_fields.Contains(p.Name, StringComparer.Ordinal)))
                {
                    errors.Add($"{at}.{property.Name}: unknown field; expected one of host, updateId, kind");
                }

                var host = Text(element, "host", at, errors);
                var id = Text(element, "updateId", at, errors);
                var kindText = Text(element, "kind", at, errors);
                UpdateKind kind = default;
                if (kindText is not null && !TryParseKind(kindText, out kind))
                {
                    errors.Add($"{at}.kind: unknown kind \"{kindText}\"; expected one of {string.Join(", ", KindNames)}");
                    kindText = null;
                }

                if (host is not null && id is not null && kindText is not null)
                {
                    updates.Add((new HostUpdate(host, id, kind), index));
                }
            }
        }

        return updates;
    }

    public static bool TryParseKind(string text, out UpdateKind kind)
    {
        var index = KindNames.ToList().FindIndex(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            kind = s_kinds[index];
            return true;
        }

        return Enum.TryParse(text, ignoreCase: true, out kind) && Enum.IsDefined(kind);
    }

    private static string? Text(JsonElement element, string name, string at, List<string> errors)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            errors.Add($"{at}.{name}: missing; expected a string");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            errors.Add($"{at}.{name}: expected a non-empty string, got {(value.ValueKind == JsonValueKind.String ? "an empty string" : value.ValueKind.ToString().ToLowerInvariant())}");
            return null;
        }

        return value.GetString();
    }
}
