namespace Predictor.Daemon.State.Postgres;

/// <summary>
/// The daemon's state shared by the daemons of one datacenter: one table of (kind, key, JSON), each change written in one
/// batch fenced by the leader's token (<paramref name="fencingToken"/>), so only the leader of the moment changes it.
/// </summary>
public sealed class PostgresDaemonStateStore(PostgresDatabase database, Func<long> fencingToken) : DaemonStateStore
{
    public override bool IsShared => true;

    private protected override void Write(IReadOnlyList<StateWrite> changes)
    {
        var token = fencingToken();
        database.Write(token, changes.Select(c => c.Json is null
            ? PostgresDatabase.Statement("DELETE FROM predictor_state WHERE kind = $1 AND key = $2", c.Kind.ToString(), c.Key)
            : PostgresDatabase.Statement(
                "INSERT INTO predictor_state (kind, key, value, fencing_token) VALUES ($1, $2, $3, $4) " +
                "ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value, fencing_token = excluded.fencing_token, written_at = clock_timestamp()",
                c.Kind.ToString(), c.Key, c.Json, token)));
    }

    private protected override IReadOnlyList<KeyValuePair<string, string>> Read(StateRecordKind kind)
    {
        using var command = database.Command("SELECT key, value FROM predictor_state WHERE kind = $1 ORDER BY key", kind.ToString());
        using var reader = command.ExecuteReader();
        var rows = new List<KeyValuePair<string, string>>();
        while (reader.Read())
        {
            rows.Add(new(reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }
}
