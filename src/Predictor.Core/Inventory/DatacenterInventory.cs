using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Predictor.Core.Inventory;

/// <summary>
/// An immutable snapshot of one datacenter's hosts and VMs with indexed lookups.
/// Build it with <see cref="Create"/>, which checks every rule of <see cref="InventoryValidator"/>.
/// </summary>
public sealed class DatacenterInventory
{
    private readonly FrozenDictionary<string, Host> _hostsById;
    private readonly FrozenDictionary<string, Vm> _vmsById;
    private readonly FrozenDictionary<string, ImmutableArray<Vm>> _vmsByHost;

    private DatacenterInventory(string datacenter, ImmutableArray<Host> hosts, ImmutableArray<Vm> vms)
    {
        Datacenter = datacenter;
        Hosts = hosts;
        Vms = vms;
        _hostsById = hosts.ToFrozenDictionary(h => h.Id, StringComparer.Ordinal);
        _vmsById = vms.ToFrozenDictionary(v => v.Id, StringComparer.Ordinal);
        _vmsByHost = vms.GroupBy(v => v.Host, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);
    }

    public string Datacenter { get; }

    public ImmutableArray<Host> Hosts { get; }

    public ImmutableArray<Vm> Vms { get; }

    /// <summary>Validates and indexes an inventory.</summary>
    /// <exception cref="InventoryValidationException">Listing every rule the inventory breaks.</exception>
    public static DatacenterInventory Create(string datacenter, IEnumerable<Host> hosts, IEnumerable<Vm> vms)
    {
        var hostArray = hosts.ToImmutableArray();
        var vmArray = vms.ToImmutableArray();
        var errors = InventoryValidator.Validate(datacenter, hostArray, vmArray);
        if (errors.Count > 0)
        {
            throw new InventoryValidationException(errors);
        }

        return new DatacenterInventory(datacenter, hostArray, vmArray);
    }

    public Host GetHost(string id) =>
        _hostsById.TryGetValue(id, out var host) ? host : throw new KeyNotFoundException($"Unknown host '{id}'.");

    public bool TryGetHost(string id, out Host host) => _hostsById.TryGetValue(id, out host!);

    public Vm GetVm(string id) =>
        _vmsById.TryGetValue(id, out var vm) ? vm : throw new KeyNotFoundException($"Unknown VM '{id}'.");

    public bool TryGetVm(string id, out Vm vm) => _vmsById.TryGetValue(id, out vm!);

    /// <summary>The VMs running on a host (empty for an idle or unknown host).</summary>
    public ImmutableArray<Vm> VmsOn(string hostId) =>
        _vmsByHost.TryGetValue(hostId, out var list) ? list : [];

    /// <summary>A copy with some hosts' states changed; VMs are unchanged.</summary>
    public DatacenterInventory WithHostStates(IReadOnlyDictionary<string, HostState> states) =>
        new(Datacenter, Hosts.Select(h => states.TryGetValue(h.Id, out var s) ? h with { State = s } : h).ToImmutableArray(), Vms);

    /// <summary>A copy with VMs moved (vm id → new host id); the result is validated.</summary>
    public DatacenterInventory WithPlacements(IReadOnlyDictionary<string, string> moves) =>
        Create(Datacenter, Hosts, Vms.Select(v => moves.TryGetValue(v.Id, out var to) ? v with { Host = to } : v));
}
