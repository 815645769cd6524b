using Predictor.Core.Plans;

namespace Predictor.Core.Inventory;

/// <summary>The datacenter the daemon looks after: its current inventory and the host updates waiting to be applied.</summary>
public interface IDatacenter
{
    /// <summary>Hosts and VM placements as the hypervisors report them now.</summary>
    DatacenterInventory Inventory();

    /// <summary>Updates known to be pending when the daemon started.</summary>
    IReadOnlyList<HostUpdate> PendingUpdates { get; }
}
