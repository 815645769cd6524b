using Predictor.Core.Plans;

namespace Predictor.Execution.Updates;

/// <summary>What the executor asks a host updater to do.</summary>
/// <param name="Host">The host being updated.</param>
/// <param name="UpdateId">The update's id (several joined by '+'), null when the plan did not say.</param>
/// <param name="Action">The ladder rung: hot patch (VMs untouched), hot restart (VMs running; each is swapped into a new hypervisor process once the update is installed), memory-preserving (VMs paused), or live migration (host empty).</param>
/// <param name="PlannedDuration">How long the plan expects the update to take.</param>
public sealed record HostUpdateRequest(string Host, string? UpdateId, MaintenanceAction Action, TimeSpan PlannedDuration);

/// <summary>
/// Applies a host's pending update: the step between "pause" and "resume" of memory-preserving
/// maintenance, the patch of a hot patch, or the reboot of a host whose VMs have left.
/// </summary>
public interface IHostUpdater
{
    /// <exception cref="HostUpdateException">The update failed; the message says how.</exception>
    Task ApplyAsync(HostUpdateRequest request, CancellationToken cancellationToken);
}

/// <summary>A host update failed. The executor resumes any paused VM and records the step as failed.</summary>
public sealed class HostUpdateException(string message, Exception? inner = null) : Exception(message, inner);
