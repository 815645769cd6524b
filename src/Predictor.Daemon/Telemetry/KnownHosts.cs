using System.Collections;
using System.Collections.Frozen;
using Predictor.Core.Inventory;

namespace Predictor.Daemon.Telemetry;

/// <summary>
/// The host ids of the current inventory, as the signal mapper's filter: samples of any other host are counted as
/// unknown. Refreshed from the datacenter at every pass; readers on request threads see one consistent set.
/// </summary>
internal sealed class KnownHosts : IReadOnlySet<string>
{
    private volatile FrozenSet<string> _hosts;

    public KnownHosts(DatacenterInventory inventory) => _hosts = Of(inventory);

    public int Count => _hosts.Count;

    public void Refresh(DatacenterInventory inventory)
    {
        var current = _hosts;
        if (current.Count != inventory.Hosts.Length || inventory.Hosts.Any(h => !current.Contains(h.Id)))
        {
            _hosts = Of(inventory);
        }
    }

    public bool Contains(string item) => _hosts.Contains(item);

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_hosts).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool IsProperSubsetOf(IEnumerable<string> other) => _hosts.IsProperSubsetOf(other);

    public bool IsProperSupersetOf(IEnumerable<string> other) => _hosts.IsProperSupersetOf(other);

    public bool IsSubsetOf(IEnumerable<string> other) => _hosts.IsSubsetOf(other);

    public bool IsSupersetOf(IEnumerable<string> other) => _hosts.IsSupersetOf(other);

    public bool Overlaps(IEnumerable<string> other) => _hosts.Overlaps(other);

    public bool SetEquals(IEnumerable<string> other) => _hosts.SetEquals(other);

    private static FrozenSet<string> Of(DatacenterInventory inventory) => inventory.Hosts.Select(h => h.Id).ToFrozenSet(StringComparer.Ordinal);
}
