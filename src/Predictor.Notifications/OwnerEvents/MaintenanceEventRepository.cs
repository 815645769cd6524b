using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Predictor.Notifications.OwnerEvents;

/// <summary>SQLite persistence of maintenance events: one row per event, written through on every change.</summary>
internal sealed class MaintenanceEventRepository : IDisposable
{
    private readonly SqliteConnection _connection;

    public MaintenanceEventRepository(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("""
            CREATE TABLE IF NOT EXISTS maintenance_events (
              id TEXT PRIMARY KEY,
              vm TEXT NOT NULL,
              owner TEXT NOT NULL,
              host TEXT NOT NULL,
              kind TEXT NOT NULL,
              reason TEXT NOT NULL,
              not_before_ms INTEGER NOT NULL,
              blackout_ms INTEGER NOT NULL,
              window_start_ms INTEGER NOT NULL,
              window_end_ms INTEGER NOT NULL,
              state TEXT NOT NULL,
              choice TEXT NOT NULL,
              updated_ms INTEGER NOT NULL);
            """);
    }

    public List<MaintenanceEvent> LoadAll()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT id, vm, owner, host, kind, reason, not_before_ms, blackout_ms, window_start_ms, window_end_ms, state, choice, updated_ms FROM maintenance_events";
        using var reader = command.ExecuteReader();
        var events = new List<MaintenanceEvent>();
        while (reader.Read())
        {
            var id = reader.GetString(0);
            events.Add(new MaintenanceEvent(
                id,
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                TimeSpan.FromMilliseconds(reader.GetInt64(7)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
                ParseEnum<MaintenanceState>(reader.GetString(10), id, "state"),
                ParseEnum<OwnerChoiceKind>(reader.GetString(11), id, "choice"),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(12))));
        }

        return events;
    }

    public void Save(MaintenanceEvent e)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            INSERT INTO maintenance_events (id, vm, owner, host, kind, reason, not_before_ms, blackout_ms, window_start_ms, window_end_ms, state, choice, updated_ms)
            VALUES ($id, $vm, $owner, $host, $kind, $reason, $nb, $bo, $ws, $we, $state, $choice, $upd)
            ON CONFLICT(id) DO UPDATE SET vm=$vm, owner=$owner, host=$host, kind=$kind, reason=$reason, not_before_ms=$nb,
              blackout_ms=$bo, window_start_ms=$ws, window_end_ms=$we, state=$state, choice=$choice, updated_ms=$upd
            """;
        command.Parameters.AddWithValue("$id", e.Id);
        command.Parameters.AddWithValue("$vm", e.Vm);
        command.Parameters.AddWithValue("$owner", e.Owner);
        command.Parameters.AddWithValue("$host", e.Host);
        command.Parameters.AddWithValue("$kind", e.Kind);
        command.Parameters.AddWithValue("$reason", e.Reason);
        command.Parameters.AddWithValue("$nb", e.NotBefore.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$bo", (long)e.ExpectedBlackout.TotalMilliseconds);
        command.Parameters.AddWithValue("$ws", e.WindowStart.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$we", e.WindowEnd.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$state", e.State.ToString());
        command.Parameters.AddWithValue("$choice", e.Choice.ToString());
        command.Parameters.AddWithValue("$upd", e.UpdatedAt.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();

    private static T ParseEnum<T>(string text, string id, string column)
        where T : struct, Enum =>
        Enum.TryParse<T>(text, out var value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Maintenance event {id}: column {column} holds '{text}', expected one of {string.Join(", ", Enum.GetNames<T>())}."));

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
