using Predictor.Core.Inventory;

namespace Predictor.Planning.Placement;

/// <summary>Free capacity per host and anti-affinity fault domains in use, updated as VMs are placed.</summary>
internal sealed class CapacityTracker
{
    private readonly DatacenterInventory _inventory;
    private readonly Dictionary<string, (double Cpu, double Memory, double Disk)> _free = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<int, int>> _groupDomains = new(StringComparer.Ordinal);

    public CapacityTracker(DatacenterInventory inventory, double cpuOvercommit, double headroom)
    {
        _inventory = inventory;
        foreach (var h in inventory.Hosts)
        {
            var keep = 1 - headroom;
            var vms = inventory.VmsOn(h.Id);
            _free[h.Id] = (
                h.Cores * cpuOvercommit * keep - vms.Sum(v => v.Vcpus),
                h.MemoryGiB * keep - vms.Sum(v => v.MemoryGiB),
                h.DiskGiB * keep - vms.Sum(v => v.DiskGiB));
        }

        foreach (var vm in inventory.Vms.Where(v => v.AntiAffinityGroup is not null))
        {
            Count(vm.AntiAffinityGroup!, inventory.GetHost(vm.Host).FaultDomain, +1);
        }
    }

    /// <summary>The eligible host with the most free memory, or null with the reason none fits.</summary>
    public Host? BestDestination(Vm vm, Host source, bool requireGeneration, Func<Host, bool> allowed, out string whyNot)
    {
        Host? best = null;
        var bestMemory = double.MinValue;
        int active = 0, generation = 0, fits = 0, spread = 0;
        foreach (var h in _inventory.Hosts)
        {
            if (h.Id == source.Id || !h.AcceptsPlacements || !allowed(h))
            {
                continue;
            }

            active++;
            if (requireGeneration && h.CpuGeneration < source.CpuGeneration)
            {
                continue;
            }

            generation++;
            var free = _free[h.Id];
            if (free.Memory < vm.MemoryGiB || free.Cpu < vm.Vcpus || free.Disk < vm.DiskGiB)
            {
                continue;
            }

            fits++;
            if (vm.AntiAffinityGroup is { } group && SharesDomain(group, h.FaultDomain, source.FaultDomain))
            {
                continue;
            }

            spread++;
            if (free.Memory > bestMemory)
            {
                (best, bestMemory) = (h, free.Memory);
            }
        }

        whyNot = best is not null ? "" : (active, generation, fits, spread) switch
        {
            (0, _, _, _) => "no active host outside the at-risk set can take VMs",
            (_, 0, _, _) => FormattableString.Invariant($"no eligible host has CPU generation {source.CpuGeneration} or newer, which live migration needs"),
            (_, _, 0, _) => FormattableString.Invariant($"no eligible host has {vm.MemoryGiB:0.#} GiB memory, {vm.Vcpus} vCPUs and {vm.DiskGiB:0.#} GiB disk free after headroom"),
            _ => $"every host with room is in a fault domain already used by anti-affinity group '{vm.AntiAffinityGroup}'",
        };
        return best;
    }

    public void Reserve(Vm vm, Host destination)
    {
        var f = _free[destination.Id];
        _free[destination.Id] = (f.Cpu - vm.Vcpus, f.Memory - vm.MemoryGiB, f.Disk - vm.DiskGiB);
        if (vm.AntiAffinityGroup is { } group)
        {
            Count(group, _inventory.GetHost(vm.Host).FaultDomain, -1);
            Count(group, destination.FaultDomain, +1);
        }
    }

    private bool SharesDomain(string group, int domain, int sourceDomain)
    {
        if (!_groupDomains.TryGetValue(group, out var domains) || !domains.TryGetValue(domain, out var n))
        {
            return false;
        }

        // the moving VM itself still counts in its source domain
        return domain == sourceDomain ? n > 1 : n > 0;
    }

    private void Count(string group, int domain, int delta)
    {
        if (!_groupDomains.TryGetValue(group, out var domains))
        {
            domains = [];
            _groupDomains[group] = domains;
        }

        domains[domain] = domains.GetValueOrDefault(domain) + delta;
    }
}
