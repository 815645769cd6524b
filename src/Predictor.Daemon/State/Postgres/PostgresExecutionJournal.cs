using Predictor.Execution.Journal;

namespace Predictor.Daemon.State.Postgres;

/// <summary>
/// The executor's journal shared by the daemons of one datacenter: the same steps and transitions as
/// <see cref="SqliteExecutionJournal"/>, each row with the fencing token it was written under. A write is refused by the
/// database (<see cref="FencedWriteException"/>, nothing written) unless its entry's token is the current lease's, so a
/// deposed leader's late write never lands.
/// </summary>
public sealed class PostgresExecutionJournal(PostgresDatabase database) : IExecutionJournal
{
    private const string Columns = "step_id, plan_id, kind, target, from_host, to_host, state, at, message, paused_vms";

    public Task RecordAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        object?[] values =
        [
            entry.StepId, entry.PlanId, entry.Kind.ToString(), entry.Target, entry.From, entry.To, entry.State.ToString(), entry.At.ToUniversalTime(), entry.Message,
            entry.PausedVms.IsDefaultOrEmpty ? null : entry.PausedVms.ToArray(), entry.FencingToken,
        ];
        return database.WriteAsync(entry.FencingToken,
        [
            PostgresDatabase.Statement($"""
                INSERT INTO predictor_journal_steps ({Columns}, fencing_token) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                ON CONFLICT (step_id) DO UPDATE SET state = excluded.state, at = excluded.at, message = excluded.message, to_host = excluded.to_host,
                    paused_vms = excluded.paused_vms, fencing_token = excluded.fencing_token
                """, values),
            PostgresDatabase.Statement($"INSERT INTO predictor_journal_transitions ({Columns}, fencing_token) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", values),
        ], cancellationToken);
    }

    public async Task<IReadOnlyList<JournalEntry>> InFlightAsync(CancellationToken cancellationToken) =>
        [.. (await QueryAsync($"SELECT {Columns}, fencing_token, 0::bigint FROM predictor_journal_steps WHERE state = 'Started' ORDER BY step_id", cancellationToken).ConfigureAwait(false)).Select(r => r.Entry)];

    public async Task<IReadOnlyList<JournalEntry>> HistoryAsync(string target, CancellationToken cancellationToken) =>
        [.. (await QueryAsync($"SELECT {Columns}, fencing_token, seq FROM predictor_journal_transitions WHERE target = $1 ORDER BY seq", cancellationToken, target).ConfigureAwait(false)).Select(r => r.Entry)];

    public async Task<IReadOnlyList<(long Position, JournalEntry Entry)>> HistoryPageAsync(string target, int limit, long? before, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            $"SELECT {Columns}, fencing_token, seq FROM predictor_journal_transitions WHERE target = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3",
            cancellationToken, target, before ?? long.MaxValue, limit).ConfigureAwait(false);
        return [.. rows.AsEnumerable().Reverse()];
    }

    private async Task<List<(long Position, JournalEntry Entry)>> QueryAsync(string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = database.Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<(long, JournalEntry)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add((reader.GetInt64(11), new JournalEntry(
                reader.GetString(0), reader.GetString(1), Enum.Parse<StepKind>(reader.GetString(2)), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), Enum.Parse<StepState>(reader.GetString(6)), reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetString(8))
            {
                PausedVms = reader.IsDBNull(9) ? [] : [.. reader.GetFieldValue<string[]>(9)],
                FencingToken = reader.GetInt64(10),
            }));
        }

        return rows;
    }
}
