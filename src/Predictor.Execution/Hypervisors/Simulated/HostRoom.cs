using Predictor.Core.Inventory;

namespace Predictor.Execution.Hypervisors.Simulated;

/// <summary>
/// What a simulated host has left for VMs: memory and local disk are never overcommitted, vCPUs up to
/// <see cref="InventoryValidator.MaxPlausibleCpuOvercommit"/> per core (a host with no cores listed has no vCPU
/// limit) — the limits <see cref="InventoryValidator"/> checks, so a placement that fits never makes the
/// inventory invalid.
/// </summary>
/// <param name="MemoryGiB">Free memory.</param>
/// <param name="DiskGiB">Free local disk.</param>
/// <param name="Vcpus">vCPUs that may still be placed.</param>
public readonly record struct HostRoom(double MemoryGiB, double DiskGiB, double Vcpus)
{
    /// <summary>Whether <paramref name="vm"/> fits.</summary>
    public bool Fits(Vm vm) => MemoryGiB >= vm.MemoryGiB && DiskGiB >= vm.DiskGiB && Vcpus >= vm.Vcpus;

    /// <summary>The room left after placing <paramref name="vm"/>.</summary>
    public HostRoom Without(Vm vm) => new(MemoryGiB - vm.MemoryGiB, DiskGiB - vm.DiskGiB, Vcpus - vm.Vcpus);

    /// <summary>The first resource <paramref name="vm"/> lacks, as a sentence fragment, or null when it fits.</summary>
    public string? Shortfall(Vm vm) =>
        MemoryGiB < vm.MemoryGiB ? $"{MemoryGiB:0.#} GiB of memory free, not the {vm.MemoryGiB:0.#} GiB"
        : DiskGiB < vm.DiskGiB ? $"{DiskGiB:0.#} GiB of disk free, not the {vm.DiskGiB:0.#} GiB"
        : Vcpus < vm.Vcpus ? $"room for {Vcpus:0.#} more vCPUs, not the {vm.Vcpus}"
        : null;
}
