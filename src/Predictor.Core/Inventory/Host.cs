namespace Predictor.Core.Inventory;

/// <summary>A physical host of one datacenter, as inventory.json describes it.</summary>
/// <param name="Id">Unique host id.</param>
/// <param name="Rack">Rack the host is mounted in.</param>
/// <param name="FaultDomain">Hosts sharing power and top-of-rack switch; anti-affinity spreads over these.</param>
/// <param name="UpdateDomain">Hosts updated together; update domains go one at a time.</param>
/// <param name="CpuGeneration">Higher is newer; live migration goes only to the same or a newer generation.</param>
/// <param name="Cores">Physical cores available to VMs.</param>
/// <param name="MemoryGiB">Memory available to VMs, never overcommitted.</param>
/// <param name="DiskGiB">Local disk available to VMs.</param>
/// <param name="NicGbps">Bandwidth of the migration network link.</param>
/// <param name="State">Operational state.</param>
public sealed record Host(
    string Id,
    string Rack,
    int FaultDomain,
    int UpdateDomain,
    int CpuGeneration,
    int Cores,
    double MemoryGiB,
    double DiskGiB,
    double NicGbps,
    HostState State = HostState.Active)
{
    /// <summary>
    /// True when the host's hypervisor can replace a VM's process in place with guest RAM shared (QEMU with its
    /// VMs' RAM in shared memory backends and the <c>x-ignore-shared</c> migration capability): hypervisor updates
    /// then take the hot-restart rung. inventory.json field <c>hotRestartCapable</c>, false when absent.
    /// </summary>
    public bool HotRestartCapable { get; init; }

    /// <summary>True when new VMs may be placed on this host.</summary>
    public bool AcceptsPlacements => State == HostState.Active;
}
