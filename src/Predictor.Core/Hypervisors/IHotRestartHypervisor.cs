namespace Predictor.Core.Hypervisors;

/// <summary>What one hot restart cost the VM.</summary>
/// <param name="Blackout">How long the guest was paused: from the old process stopping it to the new one resuming it.</param>
/// <param name="Duration">The whole swap, starting the new process to retiring the old one.</param>
/// <param name="Mode">How guest RAM was handed over, e.g. "x-ignore-shared" (QEMU) or "simulated".</param>
public sealed record HotRestartResult(TimeSpan Blackout, TimeSpan Duration, string Mode);

/// <summary>
/// A hypervisor that can replace a VM's hypervisor process in place on its host (hypervisor hot restart): a new
/// process takes over the running VM with its RAM shared rather than copied, then the old one is retired. Every
/// operation leaves exactly one process running the VM, also when it fails or is found half done after a crash.
/// </summary>
public interface IHotRestartHypervisor
{
    /// <summary>Why the VM cannot be hot-restarted on the host now (capability, configuration), or null when it can. Changes nothing.</summary>
    Task<string?> HotRestartBlockerAsync(string vm, string host, CancellationToken cancellationToken);

    /// <summary>Replaces the VM's process on the host. On failure the VM keeps running in its old process.</summary>
    /// <exception cref="HypervisorException">The swap failed; the message says where the VM runs.</exception>
    Task<HotRestartResult> HotRestartAsync(string vm, string host, CancellationToken cancellationToken);

    /// <summary>
    /// After a crash during a hot restart: finishes a swap that completed (retires the old process) or undoes one that
    /// did not (retires the new process), so exactly one process runs the VM. Returns what was found and done.
    /// </summary>
    Task<string> ReconcileHotRestartAsync(string vm, string host, CancellationToken cancellationToken);
}
