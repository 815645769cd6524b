using Predictor.Notifications.OwnerEvents;

namespace Predictor.Daemon.State.Postgres;

/// <summary>
/// Owners' maintenance events (what is announced, each owner's approval or chosen window, where each stands) shared by the
/// daemons of one datacenter, so that a new leader keeps every owner's decision and pending event. Every write is fenced
/// by the leader's token (<paramref name="fencingToken"/>): a deposed leader's late write is refused and changes nothing.
/// </summary>
public sealed class PostgresMaintenanceEventRepository(PostgresDatabase database, Func<long> fencingToken) : IMaintenanceEventRepository
{
    private const string Columns = "id, vm, owner, host, kind, reason, not_before, blackout_ms, window_start, window_end, state, choice, updated_at";

    public string Description => $"owner events in PostgreSQL {database.Target}";

    public bool IsShared => true;

    public List<MaintenanceEvent> LoadAll()
    {
        using var command = database.Command($"SELECT {Columns} FROM predictor_owner_events ORDER BY id");
        using var reader = command.ExecuteReader();
        var events = new List<MaintenanceEvent>();
        while (reader.Read())
        {
            var id = reader.GetString(0);
            events.Add(new MaintenanceEvent(
                id, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6), TimeSpan.FromMilliseconds(reader.GetInt64(7)),
                reader.GetFieldValue<DateTimeOffset>(8), reader.GetFieldValue<DateTimeOffset>(9),
                Parse<MaintenanceState>(reader.GetString(10), id, "state"), Parse<OwnerChoiceKind>(reader.GetString(11), id, "choice"),
                reader.GetFieldValue<DateTimeOffset>(12)));
        }

        return events;
    }

    public void Save(MaintenanceEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var token = fencingToken();
        database.Write(token,
        [
            PostgresDatabase.Statement($"""
                INSERT INTO predictor_owner_events ({Columns}, fencing_token) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                ON CONFLICT (id) DO UPDATE SET vm = excluded.vm, owner = excluded.owner, host = excluded.host, kind = excluded.kind, reason = excluded.reason,
                    not_before = excluded.not_before, blackout_ms = excluded.blackout_ms, window_start = excluded.window_start, window_end = excluded.window_end,
                    state = excluded.state, choice = excluded.choice, updated_at = excluded.updated_at, fencing_token = excluded.fencing_token
                """,
                e.Id, e.Vm, e.Owner, e.Host, e.Kind, e.Reason, e.NotBefore.ToUniversalTime(), (long)e.ExpectedBlackout.TotalMilliseconds,
                e.WindowStart.ToUniversalTime(), e.WindowEnd.ToUniversalTime(), e.State.ToString(), e.Choice.ToString(), e.UpdatedAt.ToUniversalTime(), token),
        ]);
    }

    /// <summary>The database belongs to the daemon's composition, which disposes of it.</summary>
    public void Dispose()
    {
    }

    private static T Parse<T>(string text, string id, string column)
        where T : struct, Enum =>
        Enum.TryParse<T>(text, out var value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidDataException($"maintenance event {id}: column {column} holds '{text}' (expected one of {string.Join(", ", Enum.GetNames<T>())})");
}
