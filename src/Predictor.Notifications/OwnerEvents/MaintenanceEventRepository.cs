using Predictor.Core.Files;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Predictor.Notifications.OwnerEvents;

/// <summary>
/// SQLite persistence of maintenance events: one row per event, written through on every change. The owner column is
/// NULL for VMs without an owner; databases from before that held the pseudo-owner "unassigned" in a NOT NULL column
/// and are migrated on open (those rows become ownerless).
/// </summary>
internal sealed class MaintenanceEventRepository : IMaintenanceEventRepository
{
    /// <summary>What earlier versions wrote for a VM without an owner.</summary>
    internal const string LegacyUnassignedOwner = "unassigned";

    private const string Columns = """
              id TEXT PRIMARY KEY,
              vm TEXT NOT NULL,
              owner TEXT,
              host TEXT NOT NULL,
              kind TEXT NOT NULL,
              reason TEXT NOT NULL,
              not_before_ms INTEGER NOT NULL,
              blackout_ms INTEGER NOT NULL,
              window_start_ms INTEGER NOT NULL,
              window_end_ms INTEGER NOT NULL,
              state TEXT NOT NULL,
              choice TEXT NOT NULL,
              updated_ms INTEGER NOT NULL
            """;

    private const string ColumnNames = "id, vm, owner, host, kind, reason, not_before_ms, blackout_ms, window_start_ms, window_end_ms, state, choice, updated_ms";

    private readonly SqliteConnection _connection;

    public MaintenanceEventRepository(string path)
    {
        Description = path;
        PrivateFiles.PrepareDatabase(path);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute($"CREATE TABLE IF NOT EXISTS maintenance_events ({Columns});");
        if (OwnerIsNotNull())
        {
            MigrateOwnerToNullable();
        }
    }

    public string Description { get; }

    public bool IsShared => false;

    public List<MaintenanceEvent> LoadAll()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT {ColumnNames} FROM maintenance_events";
        using var reader = command.ExecuteReader();
        var events = new List<MaintenanceEvent>();
        while (reader.Read())
        {
            var id = reader.GetString(0);
            events.Add(new MaintenanceEvent(
                id,
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
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
        command.CommandText = $"""
            INSERT INTO maintenance_events ({ColumnNames})
            VALUES ($id, $vm, $owner, $host, $kind, $reason, $nb, $bo, $ws, $we, $state, $choice, $upd)
            ON CONFLICT(id) DO UPDATE SET vm=$vm, owner=$owner, host=$host, kind=$kind, reason=$reason, not_before_ms=$nb,
              blackout_ms=$bo, window_start_ms=$ws, window_end_ms=$we, state=$state, choice=$choice, updated_ms=$upd
            """;
        command.Parameters.AddWithValue("$id", e.Id);
        command.Parameters.AddWithValue("$vm", e.Vm);
        command.Parameters.AddWithValue("$owner", (object?)e.Owner ?? DBNull.Value);
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

    /// <summary>True for a table from before ownerless events: its owner column is NOT NULL.</summary>
    private bool OwnerIsNotNull()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT \"notnull\" FROM pragma_table_info('maintenance_events') WHERE name = 'owner'";
        return command.ExecuteScalar() is long notNull && notNull != 0;
    }

    /// <summary>
    /// SQLite cannot drop a NOT NULL constraint in place: the table is rebuilt in one transaction, and the rows of the
    /// old pseudo-owner become ownerless, so an owner token named "unassigned" never matches them.
    /// </summary>
    private void MigrateOwnerToNullable()
    {
        using var transaction = _connection.BeginTransaction();
        Execute($"""
            CREATE TABLE maintenance_events_new ({Columns});
            INSERT INTO maintenance_events_new ({ColumnNames})
              SELECT id, vm, NULLIF(owner, '{LegacyUnassignedOwner}'), host, kind, reason, not_before_ms, blackout_ms, window_start_ms, window_end_ms, state, choice, updated_ms
              FROM maintenance_events;
            DROP TABLE maintenance_events;
            ALTER TABLE maintenance_events_new RENAME TO maintenance_events;
            """, transaction);
        transaction.Commit();
    }

    private void Execute(string sql, SqliteTransaction? transaction = null)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }
}
