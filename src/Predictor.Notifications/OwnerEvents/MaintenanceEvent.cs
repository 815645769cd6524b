namespace Predictor.Notifications.OwnerEvents;

/// <summary>Where a maintenance event stands.</summary>
public enum MaintenanceState
{
    /// <summary>Announced; runs at <see cref="MaintenanceEvent.NotBefore"/> unless the owner approves or reschedules.</summary>
    Scheduled,

    /// <summary>The owner approved it: it may run as soon as the planner can.</summary>
    Approved,

    /// <summary>Running now.</summary>
    Started,

    /// <summary>Done.</summary>
    Completed,

    /// <summary>Started, but the update failed; the host's update is planned again (and a new event announced).</summary>
    Failed,

    /// <summary>Called off before it started: the host was found at risk (its VMs are evacuated instead), failed or left the fleet.</summary>
    Cancelled,
}

/// <summary>What the owner did with an event.</summary>
public enum OwnerChoiceKind
{
    /// <summary>Nothing yet.</summary>
    None,

    /// <summary>Approved it to run now.</summary>
    ApprovedNow,

    /// <summary>Picked a not-before time inside the self-service window.</summary>
    Rescheduled,
}

/// <summary>Upcoming maintenance affecting one VM, as its owner sees it (like a cloud's scheduled events).</summary>
/// <param name="Id">Stable event id, e.g. "evt-3f2a9c1b7d04".</param>
/// <param name="Vm">Affected VM.</param>
/// <param name="Owner">Owner of the VM; only this owner sees and acts on the event. Null when the VM has no owner: then only operators do.</param>
/// <param name="Host">Host the VM runs on when the event was scheduled.</param>
/// <param name="Kind">The ladder action, e.g. "memory-preserving", "self-service", "live-migration", "cold-move".</param>
/// <param name="Reason">Why, in words an owner understands, e.g. "host firmware update".</param>
/// <param name="NotBefore">The event does not start before this time.</param>
/// <param name="ExpectedBlackout">How long the VM is expected to be paused or unreachable.</param>
/// <param name="WindowStart">Start of the self-service window in which the owner may reschedule.</param>
/// <param name="WindowEnd">End of that window: the latest not-before time an owner may choose.</param>
/// <param name="State">Where the event stands.</param>
/// <param name="Choice">What the owner did.</param>
/// <param name="UpdatedAt">Last change.</param>
public sealed record MaintenanceEvent(
    string Id,
    string Vm,
    string? Owner,
    string Host,
    string Kind,
    string Reason,
    DateTimeOffset NotBefore,
    TimeSpan ExpectedBlackout,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    MaintenanceState State,
    OwnerChoiceKind Choice,
    DateTimeOffset UpdatedAt);

/// <summary>Maintenance the planner announces to a VM's owner.</summary>
/// <param name="Vm">Affected VM.</param>
/// <param name="Owner">Owner of the VM; null when it has none (no owner token ever matches it; operators see it).</param>
/// <param name="Host">Host the VM runs on.</param>
/// <param name="Kind">The ladder action.</param>
/// <param name="Reason">Why, in an owner's words.</param>
/// <param name="NotBefore">Earliest start unless the owner acts.</param>
/// <param name="ExpectedBlackout">Expected pause or downtime.</param>
/// <param name="WindowEnd">Latest not-before time the owner may choose; null for the configured self-service window after now.</param>
public sealed record MaintenanceNotice(
    string Vm,
    string? Owner,
    string Host,
    string Kind,
    string Reason,
    DateTimeOffset NotBefore,
    TimeSpan ExpectedBlackout,
    DateTimeOffset? WindowEnd = null);
