using System.Collections.Frozen;
using System.Text.Json;
using Predictor.Core.Json;

namespace Predictor.Core.Inventory;

/// <summary>
/// Reads and writes inventory.json (see README "Contracts"). Reading reports every problem at once:
/// JSON syntax, unknown or misspelt fields, wrong types, and the rules of <see cref="InventoryValidator"/>.
/// </summary>
public static class InventoryJson
{
    private static readonly FrozenSet<string> s_topFields = FrozenSet.Create(StringComparer.Ordinal, "datacenter", "hosts", "vms");

    private static readonly FrozenSet<string> s_hostFields = FrozenSet.Create(StringComparer.Ordinal,
        "id", "rack", "faultDomain", "updateDomain", "cpuGeneration", "cores", "memoryGiB", "diskGiB", "nicGbps", "state", "hotRestartCapable");

    private static readonly FrozenSet<string> s_vmFields = FrozenSet.Create(StringComparer.Ordinal,
        "id", "host", "vcpus", "memoryGiB", "diskGiB", "series", "dirtyRateMiBps", "liveMigratable",
        "memoryPreservingCapable", "antiAffinityGroup", "owner");

    public static DatacenterInventory ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    public static DatacenterInventory Read(Stream utf8Json, string? origin = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InventoryValidationException([new("$", $"not valid JSON at {JsonObjectReader.Position(e)}: {e.Message}")], origin);
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement, origin);
            }
            catch (InvalidOperationException e) when (e.InnerException is System.Text.DecoderFallbackException)
            {
                // the JSON is well formed but a string in it is not UTF-8 (found by the fuzz tests)
                throw new InventoryValidationException([new("$", $"a string is not valid UTF-8: {e.InnerException.Message}")], origin);
            }
        }
    }

    private static DatacenterInventory Read(JsonElement root, string? origin)
    {
        var errors = new List<ValidationError>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InventoryValidationException([new("$", $"expected an object with datacenter, hosts and vms, got {JsonObjectReader.Describe(root)}")], origin);
        }

        var top = new JsonObjectReader(root, "$", s_topFields, errors);
        var datacenter = top.String("datacenter") ?? "";
        var hosts = new List<Host>();
        var vms = new List<Vm>();
        foreach (var (element, index) in Items(root, "hosts", errors))
        {
            var path = InventoryValidator.HostPath(index, Id(element));
            var r = new JsonObjectReader(element, path, s_hostFields, errors);
            var stateText = r.String("state", required: false);
            var state = HostState.Active;
            if (stateText is not null && !TryParseState(stateText, out state))
            {
                r.Error("state", $"unknown state \"{stateText}\"; expected one of {string.Join(", ", Enum.GetNames<HostState>().Select(n => n.ToLowerInvariant()))}");
            }

            hosts.Add(new Host(
                r.String("id") ?? "", r.String("rack") ?? "", r.Integer("faultDomain", -1), r.Integer("updateDomain", -1),
                r.Integer("cpuGeneration", -1), r.Integer("cores", -1), r.Number("memoryGiB"), r.Number("diskGiB"),
                r.Number("nicGbps"), state)
            {
                HotRestartCapable = r.Boolean("hotRestartCapable", false, required: false),
            });
        }

        foreach (var (element, index) in Items(root, "vms", errors))
        {
            var path = InventoryValidator.VmPath(index, Id(element));
            var r = new JsonObjectReader(element, path, s_vmFields, errors);
            vms.Add(new Vm(
                r.String("id") ?? "", r.String("host") ?? "", r.Integer("vcpus", -1), r.Number("memoryGiB"), r.Number("diskGiB"),
                r.String("series") ?? "", r.Number("dirtyRateMiBps", 0, required: false), r.Boolean("liveMigratable", true, required: false),
                r.Boolean("memoryPreservingCapable", true, required: false), r.String("antiAffinityGroup", required: false),
                r.String("owner", required: false)));
        }

        // Structural errors first, then the semantic rules for what could be read, so one pass reports everything.
        var semantic = InventoryValidator.Validate(datacenter, hosts, vms)
            .Where(e => !errors.Any(x => x.Path == e.Path));
        errors.AddRange(semantic);
        if (errors.Count > 0)
        {
            throw new InventoryValidationException(errors, origin);
        }

        return DatacenterInventory.Create(datacenter, hosts, vms);
    }

    public static void WriteFile(DatacenterInventory inventory, string path)
    {
        using var stream = File.Create(path);
        Write(inventory, stream);
    }

    public static void Write(DatacenterInventory inventory, Stream utf8Json)
    {
        using var w = new Utf8JsonWriter(utf8Json, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("datacenter", inventory.Datacenter);
        w.WriteStartArray("hosts");
        foreach (var h in inventory.Hosts)
        {
            w.WriteStartObject();
            w.WriteString("id", h.Id);
            w.WriteString("rack", h.Rack);
            w.WriteNumber("faultDomain", h.FaultDomain);
            w.WriteNumber("updateDomain", h.UpdateDomain);
            w.WriteNumber("cpuGeneration", h.CpuGeneration);
            w.WriteNumber("cores", h.Cores);
            w.WriteNumber("memoryGiB", h.MemoryGiB);
            w.WriteNumber("diskGiB", h.DiskGiB);
            w.WriteNumber("nicGbps", h.NicGbps);
            w.WriteString("state", FormatState(h.State));
            if (h.HotRestartCapable)
            {
                w.WriteBoolean("hotRestartCapable", true);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("vms");
        foreach (var v in inventory.Vms)
        {
            w.WriteStartObject();
            w.WriteString("id", v.Id);
            w.WriteString("host", v.Host);
            w.WriteNumber("vcpus", v.Vcpus);
            w.WriteNumber("memoryGiB", v.MemoryGiB);
            w.WriteNumber("diskGiB", v.DiskGiB);
            w.WriteString("series", v.Series);
            w.WriteNumber("dirtyRateMiBps", v.DirtyRateMiBps);
            w.WriteBoolean("liveMigratable", v.LiveMigratable);
            w.WriteBoolean("memoryPreservingCapable", v.MemoryPreservingCapable);
            if (v.AntiAffinityGroup is null)
            {
                w.WriteNull("antiAffinityGroup");
            }
            else
            {
                w.WriteString("antiAffinityGroup", v.AntiAffinityGroup);
            }

            if (v.Owner is not null)
            {
                w.WriteString("owner", v.Owner);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static string FormatState(HostState state) => state.ToString().ToLowerInvariant();

    public static bool TryParseState(string text, out HostState state) =>
        Enum.TryParse(text, ignoreCase: true, out state) && Enum.IsDefined(state) && !int.TryParse(text, out _);

    private static string? Id(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;

    private static IEnumerable<(JsonElement Element, int Index)> Items(JsonElement root, string name, List<ValidationError> errors)
    {
        if (!root.TryGetProperty(name, out var array))
        {
            errors.Add(new($"$.{name}", "required field is missing"));
            yield break;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new($"$.{name}", $"expected an array, got {JsonObjectReader.Describe(array)}"));
            yield break;
        }

        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new($"{name}[{index}]", $"expected an object, got {JsonObjectReader.Describe(element)}"));
            }
            else
            {
                yield return (element, index);
            }

            index++;
        }
    }
}
