namespace Predictor.Core.Hypervisors;

/// <summary>Run state of a VM as the hypervisor reports it.</summary>
public enum VmRunState
{
    Running,
    Paused,
    Migrating,
    PostMigrate,
    Stopped,
    Absent,
}

/// <summary>Limits for one live migration.</summary>
/// <param name="MaxDowntime">Longest acceptable switch-over pause.</param>
/// <param name="MaxBandwidthBytesPerSecond">Cap on the copy rate; null for the link's full speed.</param>
/// <param name="AutoConverge">Throttle the guest's vCPUs when pre-copy does not converge.</param>
public sealed record MigrationOptions(TimeSpan MaxDowntime, double? MaxBandwidthBytesPerSecond = null, bool AutoConverge = true);

/// <summary>What a finished live migration cost.</summary>
/// <param name="Duration">From start to the VM running on the destination.</param>
/// <param name="Downtime">The switch-over pause the hypervisor reported.</param>
/// <param name="TransferredBytes">Bytes copied, all rounds.</param>
public sealed record MigrationResult(TimeSpan Duration, TimeSpan Downtime, long TransferredBytes);

/// <summary>Progress of a running migration.</summary>
public readonly record struct MigrationProgress(long TransferredBytes, long RemainingBytes, int Round);

/// <summary>
/// The operations Predictor needs from a hypervisor. Adapters: QEMU (QMP), libvirt, and the simulated
/// hypervisor. Every operation is idempotent where the hypervisor allows it, so a resumed executor
/// can repeat the step it crashed in.
/// </summary>
public interface IHypervisor
{
    Task<VmRunState> GetStateAsync(string vm, string host, CancellationToken cancellationToken);

    Task<MigrationResult> LiveMigrateAsync(string vm, string fromHost, string toHost, MigrationOptions options, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Stops the VM, moves it and starts it on the destination (for VMs that cannot live-migrate).</summary>
    Task<TimeSpan> ColdMigrateAsync(string vm, string fromHost, string toHost, CancellationToken cancellationToken);

    Task PauseAsync(string vm, string host, CancellationToken cancellationToken);

    Task ResumeAsync(string vm, string host, CancellationToken cancellationToken);
}

/// <summary>A hypervisor operation failed; the VM's state is as the message says.</summary>
public sealed class HypervisorException(string message, Exception? inner = null) : Exception(message, inner);
