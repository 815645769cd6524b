using System.Globalization;

namespace Predictor.Core.Inventory;

/// <summary>
/// The rules every inventory must keep. All broken rules are reported at once, each naming the
/// element (by index and id) and the field.
/// </summary>
public static class InventoryValidator
{
    /// <summary>vCPUs per physical core above which an inventory is rejected as implausible.</summary>
    /// <value>The default value is 8.</value>
    public const double MaxPlausibleCpuOvercommit = 8.0;

    public static IReadOnlyList<ValidationError> Validate(string datacenter, IReadOnlyList<Host> hosts, IReadOnlyList<Vm> vms)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(datacenter))
        {
            errors.Add(new("datacenter", "must be a non-empty string"));
        }

        var hostIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < hosts.Count; i++)
        {
            var h = hosts[i];
            var at = HostPath(i, h.Id);
            if (string.IsNullOrWhiteSpace(h.Id))
            {
                errors.Add(new($"hosts[{i}].id", "must be a non-empty string"));
            }
            else if (!hostIndex.TryAdd(h.Id, i))
            {
                errors.Add(new($"{at}.id", $"duplicate host id; first used by hosts[{hostIndex[h.Id]}]"));
            }

            if (string.IsNullOrWhiteSpace(h.Rack))
            {
                errors.Add(new($"{at}.rack", "must be a non-empty string"));
            }

            NonNegative(errors, at, "faultDomain", h.FaultDomain);
            NonNegative(errors, at, "updateDomain", h.UpdateDomain);
            NonNegative(errors, at, "cpuGeneration", h.CpuGeneration);
            Positive(errors, at, "cores", h.Cores);
            Positive(errors, at, "memoryGiB", h.MemoryGiB);
            NonNegative(errors, at, "diskGiB", h.DiskGiB);
            Positive(errors, at, "nicGbps", h.NicGbps);
        }

        var vmIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var used = new Dictionary<string, (double Vcpus, double Memory, double Disk)>(StringComparer.Ordinal);
        for (var i = 0; i < vms.Count; i++)
        {
            var v = vms[i];
            var at = VmPath(i, v.Id);
            if (string.IsNullOrWhiteSpace(v.Id))
            {
                errors.Add(new($"vms[{i}].id", "must be a non-empty string"));
            }
            else if (!vmIds.TryAdd(v.Id, i))
            {
                errors.Add(new($"{at}.id", $"duplicate VM id; first used by vms[{vmIds[v.Id]}]"));
            }

            if (string.IsNullOrWhiteSpace(v.Host))
            {
                errors.Add(new($"{at}.host", "must name a host"));
            }
            else if (!hostIndex.ContainsKey(v.Host))
            {
                errors.Add(new($"{at}.host", $"unknown host '{v.Host}'"));
            }

            if (string.IsNullOrWhiteSpace(v.Series))
            {
                errors.Add(new($"{at}.series", "must be a non-empty string"));
            }

            Positive(errors, at, "vcpus", v.Vcpus);
            Positive(errors, at, "memoryGiB", v.MemoryGiB);
            NonNegative(errors, at, "diskGiB", v.DiskGiB);
            NonNegative(errors, at, "dirtyRateMiBps", v.DirtyRateMiBps);
            if (v.AntiAffinityGroup is { Length: 0 })
            {
                errors.Add(new($"{at}.antiAffinityGroup", "must be null or a non-empty string"));
            }

            if (v.Host is not null && hostIndex.ContainsKey(v.Host))
            {
                used.TryGetValue(v.Host, out var u);
                used[v.Host] = (u.Vcpus + Math.Max(0, v.Vcpus), u.Memory + Math.Max(0, v.MemoryGiB), u.Disk + Math.Max(0, v.DiskGiB));
            }
        }

        foreach (var (hostId, u) in used)
        {
            var i = hostIndex[hostId];
            var h = hosts[i];
            var at = HostPath(i, h.Id);
            if (h.MemoryGiB > 0 && u.Memory > h.MemoryGiB + 1e-9)
            {
                errors.Add(new($"{at}.memoryGiB", $"over capacity: its VMs use {Fmt(u.Memory)} GiB of {Fmt(h.MemoryGiB)} GiB (memory is never overcommitted)"));
            }

            if (u.Disk > h.DiskGiB + 1e-9)
            {
                errors.Add(new($"{at}.diskGiB", $"over capacity: its VMs use {Fmt(u.Disk)} GiB of {Fmt(h.DiskGiB)} GiB"));
            }

            if (h.Cores > 0 && u.Vcpus > h.Cores * MaxPlausibleCpuOvercommit)
            {
                errors.Add(new($"{at}.cores", $"over capacity: its VMs use {Fmt(u.Vcpus)} vCPUs on {h.Cores} cores, more than {Fmt(MaxPlausibleCpuOvercommit)} per core"));
            }
        }

        return errors;
    }

    internal static string HostPath(int index, string? id) => $"hosts[{index}]{IdSuffix(id)}";

    internal static string VmPath(int index, string? id) => $"vms[{index}]{IdSuffix(id)}";

    private static string IdSuffix(string? id) => string.IsNullOrEmpty(id) ? "" : $" (id \"{id}\")";

    private static void Positive(List<ValidationError> errors, string at, string field, double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            errors.Add(new($"{at}.{field}", $"must be a positive number, got {Fmt(value)}"));
        }
    }

    private static void NonNegative(List<ValidationError> errors, string at, string field, double value)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            errors.Add(new($"{at}.{field}", $"must be zero or more, got {Fmt(value)}"));
        }
    }

    private static string Fmt(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
