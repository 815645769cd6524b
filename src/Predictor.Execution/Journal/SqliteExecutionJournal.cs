using Predictor.Core.Files;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Predictor.Execution.Journal;

/// <summary>
/// The journal in a SQLite file (WAL, synchronous FULL: a transition is on disk before the call returns,
/// so a kill -9 loses nothing that was acknowledged). <see cref="JournalEntry.PausedVms"/> is a JSON array in its own
/// column and <see cref="JournalEntry.FencingToken"/> a number in another (always 0 for a daemon that runs alone), both
/// added to a journal file written before they existed.
/// </summary>
public sealed class SqliteExecutionJournal : IExecutionJournal, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public SqliteExecutionJournal(string path)
    {
        // what the daemon did and is doing: readable by its user only
        PrivateFiles.PrepareDatabase(path);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS steps (
                step_id TEXT PRIMARY KEY, plan_id TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL,
                from_host TEXT NOT NULL, to_host TEXT, state TEXT NOT NULL, at TEXT NOT NULL, message TEXT, paused_vms TEXT,
                fencing_token INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS transitions (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, step_id TEXT NOT NULL, plan_id TEXT NOT NULL, kind TEXT NOT NULL,
                target TEXT NOT NULL, from_host TEXT NOT NULL, to_host TEXT, state TEXT NOT NULL, at TEXT NOT NULL, message TEXT, paused_vms TEXT,
                fencing_token INTEGER NOT NULL DEFAULT 0);
            CREATE INDEX IF NOT EXISTS steps_state ON steps(state);
            CREATE INDEX IF NOT EXISTS transitions_target ON transitions(target);
            """);
        // a journal written before the columns existed still opens: its steps simply paused nothing it could name, under token 0
        foreach (var table in new[] { "steps", "transitions" })
        {
            if (!HasColumn(table, "paused_vms"))
            {
                Execute($"ALTER TABLE {table} ADD COLUMN paused_vms TEXT");
            }

            if (!HasColumn(table, "fencing_token"))
            {
                Execute($"ALTER TABLE {table} ADD COLUMN fencing_token INTEGER NOT NULL DEFAULT 0");
            }
        }
    }

    public async Task RecordAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var sql in new[]
            {
                """
                INSERT INTO steps (step_id, plan_id, kind, target, from_host, to_host, state, at, message, paused_vms, fencing_token)
                VALUES ($step, $plan, $kind, $target, $from, $to, $state, $at, $message, $paused, $token)
                ON CONFLICT(step_id) DO UPDATE SET state = excluded.state, at = excluded.at, message = excluded.message, to_host = excluded.to_host,
                    paused_vms = excluded.paused_vms, fencing_token = excluded.fencing_token
                """,
                """
                INSERT INTO transitions (step_id, plan_id, kind, target, from_host, to_host, state, at, message, paused_vms, fencing_token)
                VALUES ($step, $plan, $kind, $target, $from, $to, $state, $at, $message, $paused, $token)
                """,
            })
            {
                using var command = _connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                command.Parameters.AddWithValue("$step", entry.StepId);
                command.Parameters.AddWithValue("$plan", entry.PlanId);
                command.Parameters.AddWithValue("$kind", entry.Kind.ToString());
                command.Parameters.AddWithValue("$target", entry.Target);
                command.Parameters.AddWithValue("$from", entry.From);
                command.Parameters.AddWithValue("$to", (object?)entry.To ?? DBNull.Value);
                command.Parameters.AddWithValue("$state", entry.State.ToString());
                command.Parameters.AddWithValue("$at", entry.At.ToString("O"));
                command.Parameters.AddWithValue("$message", (object?)entry.Message ?? DBNull.Value);
                command.Parameters.AddWithValue("$paused", entry.PausedVms.IsDefaultOrEmpty ? DBNull.Value : JsonSerializer.Serialize(entry.PausedVms.ToArray()));
                command.Parameters.AddWithValue("$token", entry.FencingToken);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<IReadOnlyList<JournalEntry>> InFlightAsync(CancellationToken cancellationToken) =>
        QueryAsync("SELECT step_id, plan_id, kind, target, from_host, to_host, state, at, message, paused_vms, 0, fencing_token FROM steps WHERE state = 'Started' ORDER BY step_id", null, cancellationToken);

    public Task<IReadOnlyList<JournalEntry>> HistoryAsync(string target, CancellationToken cancellationToken) =>
        QueryAsync("SELECT step_id, plan_id, kind, target, from_host, to_host, state, at, message, paused_vms, seq, fencing_token FROM transitions WHERE target = $target ORDER BY seq", target, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<(long Position, JournalEntry Entry)>> HistoryPageAsync(string target, int limit, long? before, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            "SELECT step_id, plan_id, kind, target, from_host, to_host, state, at, message, paused_vms, seq, fencing_token FROM transitions WHERE target = $target AND seq < $before ORDER BY seq DESC LIMIT $limit",
            target, cancellationToken, ("$before", before ?? long.MaxValue), ("$limit", limit)).ConfigureAwait(false);
        return [.. rows.Select(r => (r.Position, r.Entry)).Reverse()];
    }

    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }

    private async Task<IReadOnlyList<JournalEntry>> QueryAsync(string sql, string? target, CancellationToken cancellationToken) =>
        [.. (await QueryAsync(sql, target, cancellationToken, []).ConfigureAwait(false)).Select(r => r.Entry)];

    /// <summary>Runs a query of steps or transitions: the row's position is its 11th column (0 for steps), its fencing token the 12th.</summary>
    private async Task<List<(long Position, JournalEntry Entry)>> QueryAsync(string sql, string? target, CancellationToken cancellationToken, params (string Name, long Value)[] numbers)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            if (target is not null)
            {
                command.Parameters.AddWithValue("$target", target);
            }

            foreach (var (name, value) in numbers)
            {
                command.Parameters.AddWithValue(name, value);
            }

            var result = new List<(long, JournalEntry)>();
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result.Add((reader.GetInt64(10), new JournalEntry(
                    reader.GetString(0), reader.GetString(1), Enum.Parse<StepKind>(reader.GetString(2)), reader.GetString(3),
                    reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), Enum.Parse<StepState>(reader.GetString(6)),
                    DateTimeOffset.Parse(reader.GetString(7), System.Globalization.CultureInfo.InvariantCulture),
                    reader.IsDBNull(8) ? null : reader.GetString(8))
                {
                    PausedVms = reader.IsDBNull(9) ? [] : [.. JsonSerializer.Deserialize<string[]>(reader.GetString(9)) ?? []],
                    FencingToken = reader.GetInt64(11),
                }));
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool HasColumn(string table, string column)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM pragma_table_info($table) WHERE name = $column";
        command.Parameters.AddWithValue("$table", table);
        command.Parameters.AddWithValue("$column", column);
        return command.ExecuteScalar() is not null;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
