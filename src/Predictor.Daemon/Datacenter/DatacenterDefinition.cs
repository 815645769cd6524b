using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Predictor.Core.Configuration;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Execution.Hypervisors.Libvirt;
using Predictor.Execution.Hypervisors.Qmp;

namespace Predictor.Daemon.Datacenter;

/// <summary>
/// A real datacenter as configured: the inventory, the updates pending at start, and for every VM the hosts
/// where the hypervisor adapter can reach it (its QEMU instances, or every libvirt host).
/// </summary>
/// <param name="Inventory">The inventory file's hosts and VMs, placements as the file says.</param>
/// <param name="Updates">Updates pending at start, at most one per host.</param>
/// <param name="ReachableHosts">VM id → hosts the adapter can address it on (its placement first).</param>
public sealed record DatacenterDefinition(
    DatacenterInventory Inventory,
    IReadOnlyList<HostUpdate> Updates,
    FrozenDictionary<string, string[]> ReachableHosts)
{
    /// <summary>
    /// Reads and cross-checks the files and the hypervisor section; every problem goes to <paramref name="errors"/> naming
    /// the file or setting. Returns null when anything is wrong, or when the section's own rules fail (they report that).
    /// </summary>
    /// <param name="qemu">The QEMU section when <see cref="DatacenterOptions.Hypervisor"/> is Qemu.</param>
    /// <param name="libvirt">The libvirt section when it is Libvirt.</param>
    public static DatacenterDefinition? Load(DatacenterOptions options, QemuHypervisorOptions? qemu, LibvirtHypervisorOptions? libvirt, List<string> errors)
    {
        var before = errors.Count;
        if (!options.IsReal || string.IsNullOrWhiteSpace(options.InventoryPath))
        {
            // the section's own rules (DatacenterOptions) say what is missing
            return null;
        }

        var inventory = ReadInventory(options.InventoryPath, errors);
        var updates = ReadUpdates(options, inventory, errors);
        var reachable = inventory is null ? null : options.Hypervisor == DatacenterHypervisor.Qemu
            ? QemuReachability(inventory, options.InventoryPath!, qemu!, errors)
            : LibvirtReachability(inventory, options.InventoryPath!, libvirt!, errors);
        return errors.Count > before || inventory is null || reachable is null ? null : new DatacenterDefinition(inventory, updates, reachable);
    }

    /// <summary>Says what was loaded, and which VMs the adapter cannot reach on some or all other hosts.</summary>
    internal void LogLoaded(DatacenterOptions options, ILogger logger)
    {
        Log.Loaded(logger, Inventory.Datacenter, options.InventoryPath!, Inventory.Hosts.Length, Inventory.Vms.Length, Updates.Count, options.Hypervisor.ToString());
        foreach (var (vm, hosts) in ReachableHosts)
        {
            var candidates = Inventory.Hosts.Where(h => h.AcceptsPlacements && h.Id != hosts[0]).Select(h => h.Id).ToList();
            var missing = candidates.Where(h => !hosts.Contains(h, StringComparer.Ordinal)).ToList();
            if (hosts.Length < 2)
            {
                Log.NoDestination(logger, vm);
            }
            else if (missing.Count > 0)
            {
                Log.MissingDestinations(logger, vm, string.Join(", ", missing.Take(10)) + (missing.Count > 10 ? $" and {missing.Count - 10} more" : ""));
            }
        }
    }

    private static DatacenterInventory? ReadInventory(string path, List<string> errors)
    {
        const string Key = DatacenterOptions.SectionName + ":" + nameof(DatacenterOptions.InventoryPath);
        try
        {
            return InventoryJson.ReadFile(path);
        }
        catch (InventoryValidationException e)
        {
            errors.AddRange(e.Errors.Select(error => $"{path}: {error}"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.Add(OptionsError.Message(Key, $"cannot read the file: {e.Message}", path, "a readable inventory.json"));
        }

        return null;
    }

    private static List<HostUpdate> ReadUpdates(DatacenterOptions options, DatacenterInventory? inventory, List<string> errors)
    {
        const string S = DatacenterOptions.SectionName;
        var updates = new List<(HostUpdate Update, string Where)>();
        for (var i = 0; i < options.Updates.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{S}:Updates:{i}");
            var u = options.Updates[i];
            // an incomplete entry is reported by the section's own rules
            if (!string.IsNullOrWhiteSpace(u.Host) && !string.IsNullOrWhiteSpace(u.UpdateId) && HostUpdatesJson.TryParseKind(u.Kind, out var kind))
            {
                updates.Add((new HostUpdate(u.Host, u.UpdateId, kind), $"{at}:{nameof(u.Host)}"));
            }
        }

        if (!string.IsNullOrWhiteSpace(options.UpdatesPath))
        {
            var fromFile = HostUpdatesJson.ReadFile(options.UpdatesPath, errors);
            updates.AddRange(fromFile.Select(u => (u.Update, string.Create(CultureInfo.InvariantCulture, $"{options.UpdatesPath}: [{u.Index}].host"))));
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (update, where) in updates)
        {
            if (inventory is not null && !inventory.TryGetHost(update.Host, out _))
            {
                errors.Add(OptionsError.Message(where, "not in the inventory", update.Host, $"a host of '{options.InventoryPath}'"));
            }

            if (!seen.TryAdd(update.Host, where))
            {
                errors.Add(OptionsError.Message(where, "already has a pending update", update.Host, $"one update per host (the first is at {seen[update.Host]})"));
            }
        }

        return [.. updates.Select(u => u.Update)];
    }

    private static FrozenDictionary<string, string[]>? QemuReachability(DatacenterInventory inventory, string path, QemuHypervisorOptions qemu, List<string> errors)
    {
        const string S = QemuHypervisorOptions.SectionName;
        var before = errors.Count;
        for (var i = 0; i < qemu.Instances.Count; i++)
        {
            var instance = qemu.Instances[i];
            if (instance is null)
            {
                continue;
            }

            var at = string.Create(CultureInfo.InvariantCulture, $"{S}:Instances:{i}");
            if (!string.IsNullOrWhiteSpace(instance.Vm) && !inventory.TryGetVm(instance.Vm, out _))
            {
                errors.Add(OptionsError.Message($"{at}:{nameof(instance.Vm)}", "not in the inventory", instance.Vm, $"a VM of '{path}'"));
            }

            if (!string.IsNullOrWhiteSpace(instance.Host) && !inventory.TryGetHost(instance.Host, out _))
            {
                errors.Add(OptionsError.Message($"{at}:{nameof(instance.Host)}", "not in the inventory", instance.Host, $"a host of '{path}'"));
            }
        }

        var byVm = qemu.Instances.Where(i => i is not null).GroupBy(i => i.Vm, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(i => i.Host).ToList(), StringComparer.Ordinal);
        var reachable = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var vm in inventory.Vms)
        {
            var hosts = byVm.GetValueOrDefault(vm.Id) ?? [];
            if (!hosts.Contains(vm.Host, StringComparer.Ordinal))
            {
                errors.Add(OptionsError.Message($"{S}:Instances", $"no QEMU instance of VM '{vm.Id}' on host '{vm.Host}', where '{path}' places it", null,
                    $"an entry {{\"Vm\": \"{vm.Id}\", \"Host\": \"{vm.Host}\", \"QmpSocket\": \"/path/to/qmp.sock\"}}"));
            }

            reachable[vm.Id] = [vm.Host, .. hosts.Where(h => h != vm.Host)];
        }

        return errors.Count > before ? null : reachable.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenDictionary<string, string[]>? LibvirtReachability(DatacenterInventory inventory, string path, LibvirtHypervisorOptions libvirt, List<string> errors)
    {
        const string S = LibvirtHypervisorOptions.SectionName;
        var before = errors.Count;
        var configured = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < libvirt.Hosts.Count; i++)
        {
            var host = libvirt.Hosts[i];
            if (host is null || string.IsNullOrWhiteSpace(host.Host))
            {
                continue;
            }

            configured.Add(host.Host);
            if (!inventory.TryGetHost(host.Host, out _))
            {
                errors.Add(OptionsError.Message(string.Create(CultureInfo.InvariantCulture, $"{S}:Hosts:{i}:Host"), "not in the inventory", host.Host, $"a host of '{path}'"));
            }
        }

        foreach (var host in inventory.Hosts.Where(h => !configured.Contains(h.Id) && (h.AcceptsPlacements || !inventory.VmsOn(h.Id).IsEmpty)))
        {
            var why = inventory.VmsOn(host.Id).IsEmpty ? "it may receive VMs" : $"it runs {inventory.VmsOn(host.Id).Length} VMs";
            errors.Add(OptionsError.Message($"{S}:Hosts", $"no libvirt connection to host '{host.Id}' of '{path}', but {why}", null,
                $"an entry {{\"Host\": \"{host.Id}\", \"Uri\": \"qemu+ssh://USER@{host.Id}/system\"}}"));
        }

        return errors.Count > before
            ? null
            : inventory.Vms.ToFrozenDictionary(v => v.Id, v => (string[])[v.Host, .. configured.Where(h => h != v.Host).Order(StringComparer.Ordinal)], StringComparer.Ordinal);
    }
}
