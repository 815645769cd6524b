namespace Predictor.Core.Inventory;

/// <summary>A virtual machine and the host it runs on, as inventory.json describes it.</summary>
/// <param name="Id">Unique VM id.</param>
/// <param name="Host">Id of the host the VM runs on.</param>
/// <param name="Vcpus">Virtual CPUs.</param>
/// <param name="MemoryGiB">Guest memory; this is what a live migration copies.</param>
/// <param name="DiskGiB">Local disk the VM uses on its host.</param>
/// <param name="Series">VM series (size family), e.g. "general", "gpu".</param>
/// <param name="DirtyRateMiBps">Rate at which the guest dirties memory; drives pre-copy convergence.</param>
/// <param name="LiveMigratable">False for VMs with pass-through devices and the like.</param>
/// <param name="MemoryPreservingCapable">True when the VM series supports pause-update-resume maintenance.</param>
/// <param name="AntiAffinityGroup">VMs of one group are spread over distinct fault domains; null for none.</param>
/// <param name="Owner">Owner (team or tenant) told of maintenance; null when unknown.</param>
public sealed record Vm(
    string Id,
    string Host,
    int Vcpus,
    double MemoryGiB,
    double DiskGiB,
    string Series,
    double DirtyRateMiBps,
    bool LiveMigratable,
    bool MemoryPreservingCapable,
    string? AntiAffinityGroup = null,
    string? Owner = null);
