namespace Predictor.Notifications.OwnerEvents;

/// <summary>Outcome of an owner's approve or reschedule.</summary>
public enum OwnerActionStatus
{
    /// <summary>Done; <see cref="OwnerActionResult.Event"/> is the updated event.</summary>
    Ok,

    /// <summary>No such event for this owner (another owner's events are reported the same way, so ids do not leak).</summary>
    NotFound,

    /// <summary>The event has started or completed; it can no longer be changed.</summary>
    Conflict,

    /// <summary>The requested time is outside the self-service window.</summary>
    Invalid,
}

/// <summary>Outcome of an owner's action, with a message the owner can read when it failed.</summary>
public sealed record OwnerActionResult(OwnerActionStatus Status, MaintenanceEvent? Event, string? Error)
{
    internal static OwnerActionResult Success(MaintenanceEvent e) => new(OwnerActionStatus.Ok, e, null);

    internal static OwnerActionResult Missing(string id) => new(OwnerActionStatus.NotFound, null, $"No maintenance event '{id}' for your VMs.");
}
