namespace Predictor.Notifications.OwnerEvents;

/// <summary>
/// Where <see cref="MaintenanceEventStore"/> keeps its events: a SQLite file beside the daemon by default, or a store the
/// daemons of one datacenter share (the daemon's PostgreSQL store, each write fenced by the leader's token), so that a new
/// leader keeps every owner's decision and every pending event.
/// </summary>
public interface IMaintenanceEventRepository : IDisposable
{
    /// <summary>Where the events are, for the log (never a password).</summary>
    string Description { get; }

    /// <summary>True when other daemons share the events: the store reads them again when this daemon takes over.</summary>
    bool IsShared { get; }

    /// <summary>Every event kept.</summary>
    List<MaintenanceEvent> LoadAll();

    /// <summary>Creates or replaces the event (by id); throws when it could not be written, and then nothing changed.</summary>
    void Save(MaintenanceEvent e);
}
