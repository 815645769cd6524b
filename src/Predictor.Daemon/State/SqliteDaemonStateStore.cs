using Microsoft.Data.Sqlite;
using Predictor.Core.Files;

namespace Predictor.Daemon.State;

/// <summary>
/// The state of a daemon that runs alone: a SQLite file (<c>Pipeline:StatePath</c>, mode 0600, WAL, synchronous FULL),
/// one table per kind of record, so that a restarted daemon neither lifts a quarantine nor resumes a paused fleet.
/// </summary>
public sealed class SqliteDaemonStateStore : DaemonStateStore
{
    private static readonly Dictionary<StateRecordKind, (string Table, string Key, string Value)> s_tables = new()
    {
        [StateRecordKind.Quarantine] = ("quarantine", "host", "assessment"),
        [StateRecordKind.Released] = ("released", "host", "release"),
        [StateRecordKind.Settings] = ("settings", "key", "value"),
        [StateRecordKind.Rollout] = ("rollout", "host", "record"),
        [StateRecordKind.Repairs] = ("repairs", "key", "record"),
        [StateRecordKind.Decommissioned] = ("decommissioned", "host", "record"),
    };

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    /// <param name="path">The SQLite file, or ":memory:" for state that lives as long as the process.</param>
    public SqliteDaemonStateStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        PrivateFiles.PrepareDatabase(path);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;" + string.Concat(s_tables.Values.Select(t =>
            $"CREATE TABLE IF NOT EXISTS {t.Table} ({t.Key} TEXT PRIMARY KEY, {t.Value} TEXT NOT NULL);"));
        command.ExecuteNonQuery();
    }

    public override bool IsShared => false;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _connection.Dispose();
        }
    }

    private protected override void Write(IReadOnlyList<StateWrite> changes)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var change in changes)
            {
                var (table, key, value) = s_tables[change.Kind];
                using var command = _connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = change.Json is null
                    ? $"DELETE FROM {table} WHERE {key} = $k"
                    : $"INSERT OR REPLACE INTO {table} ({key}, {value}) VALUES ($k, $v)";
                command.Parameters.AddWithValue("$k", change.Key);
                if (change.Json is not null)
                {
                    command.Parameters.AddWithValue("$v", change.Json);
                }

                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    private protected override IReadOnlyList<KeyValuePair<string, string>> Read(StateRecordKind kind)
    {
        var (table, key, value) = s_tables[kind];
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT {key}, {value} FROM {table} ORDER BY {key}";
            using var reader = command.ExecuteReader();
            var rows = new List<KeyValuePair<string, string>>();
            while (reader.Read())
            {
                rows.Add(new(reader.GetString(0), reader.GetString(1)));
            }

            return rows;
        }
    }
}
