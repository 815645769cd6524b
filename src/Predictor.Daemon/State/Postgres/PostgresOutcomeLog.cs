using System.Collections.Concurrent;
using System.Collections.Frozen;
using Npgsql;
using Predictor.Core.Outcomes;
using Predictor.Core.Risk;
using Predictor.Daemon.Ha;
using Predictor.Daemon.Outcomes;
using Predictor.Execution.Journal;

namespace Predictor.Daemon.State.Postgres;

/// <summary>
/// The outcome and feature log shared by the daemons of one datacenter: the records of <see cref="Outcomes.SqliteOutcomeLog"/>
/// with the same semantics (an outcome is unique by host, time, kind, component, cause and source; a host has one feature
/// row per time; times are UTC ticks, so a record reads back exactly; each distinct list of feature names is stored once).
/// The daemon writes it under the leader's fencing token (<paramref name="fencingToken"/>): a deposed leader's late write
/// is refused by the database (<see cref="FencedWriteException"/>, nothing written). Without a token (null) the writes
/// are not fenced: that is <c>predictor outcomes import</c>, an operator's facts, which hold no lease and are idempotent.
/// </summary>
public sealed class PostgresOutcomeLog(PostgresDatabase database, Func<long>? fencingToken) : IOutcomeLog, IDisposable
{
    private const string OutcomeColumns = "host, at, kind, component, cause, source, model_version, probability, detail";

    /// <summary>Feature rows read per page: whole timestamps, about this many rows.</summary>
    private const int PageRows = 10_000;

    private readonly ConcurrentDictionary<long, string[]> _names = new();
    private PostgresDatabase? _owned;

    /// <summary>
    /// The log of the daemons that <paramref name="options"/> (their <c>Ha</c> section) describe, for a command that runs
    /// beside them (<c>predictor outcomes import</c>, <c>dataset</c>, <c>retrain</c>): it reads, and writes an operator's
    /// outcomes unfenced. Disposing of it closes its connections.
    /// </summary>
    public static PostgresOutcomeLog Open(HaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var database = new PostgresDatabase(options.ResolveConnectionString()
            ?? throw new ArgumentException($"{HaOptions.SectionName}:{nameof(HaOptions.ConnectionString)} is not set: the outcome log is not in PostgreSQL"), options);
        return new PostgresOutcomeLog(database, null) { _owned = database };
    }

    /// <summary>Closes the connections of a log made by <see cref="Open"/>; the daemon's database belongs to its composition.</summary>
    public void Dispose() => _owned?.Dispose();

    /// <summary>Where the log is, for messages and lineage (never the password).</summary>
    public string Description => $"outcome log in PostgreSQL {database.Target}";

    public bool Append(HostOutcome outcome) => AppendRange([outcome]) == 1;

    public int AppendRange(IReadOnlyCollection<HostOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return 0;
        }

        var token = fencingToken?.Invoke();
        var rows = outcomes.Select(o =>
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(o.Host);
            return (object?[])[o.Host, o.At.UtcTicks, HostOutcome.Name(o.Kind), o.Component ?? "", o.Cause ?? "", o.Source, o.ModelVersion, o.Probability, o.Detail, token];
        }).ToList();

        // one statement, so that the count of rows it inserted (duplicates skipped) comes back with it
        var statement = new NpgsqlBatchCommand($"""
            INSERT INTO predictor_outcomes ({OutcomeColumns}, fencing_token)
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::double precision[], $9::text[], $10::bigint[])
            ON CONFLICT (host, at, kind, component, cause, source) DO NOTHING
            """);
        for (var column = 0; column < 10; column++)
        {
            statement.Parameters.Add(new NpgsqlParameter { Value = Column(rows, column) });
        }

        Write(token, [statement]);
        return statement.RecordsAffected;
    }

    public void AppendFeatures(IReadOnlyCollection<HostFeatures> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        if (hosts.Count == 0)
        {
            return;
        }

        var token = fencingToken?.Invoke() ?? throw new InvalidOperationException("features are recorded by the leading daemon only, under its fencing token");
        var rows = hosts.Select(h =>
        {
            var names = h.Values.Keys.Order(StringComparer.Ordinal).ToArray();
            return (Names: string.Join('\n', names), Row: h, Values: names.Select(n => h.Values[n]).ToArray());
        }).ToList();
        var statements = new List<NpgsqlBatchCommand>();
        foreach (var set in rows.Select(r => r.Names).Distinct(StringComparer.Ordinal))
        {
            statements.Add(PostgresDatabase.Statement("INSERT INTO predictor_feature_sets (names) VALUES ($1) ON CONFLICT (names) DO NOTHING", set));
        }

        foreach (var (names, row, values) in rows)
        {
            statements.Add(PostgresDatabase.Statement("""
                INSERT INTO predictor_features (at, host, last_seen, set_id, vals, fencing_token)
                VALUES ($1, $2, $3, (SELECT id FROM predictor_feature_sets WHERE names = $4), $5, $6)
                ON CONFLICT (at, host) DO UPDATE SET last_seen = excluded.last_seen, set_id = excluded.set_id, vals = excluded.vals, fencing_token = excluded.fencing_token
                """, row.At.UtcTicks, row.Host, row.LastSeen?.UtcTicks, names, values, token));
        }

        Write(token, statements);
    }

    public IReadOnlyList<HostOutcome> Outcomes(DateTimeOffset? from = null, DateTimeOffset? to = null, string? host = null)
    {
        using var command = database.Command(
            $"SELECT {OutcomeColumns} FROM predictor_outcomes WHERE at >= $1 AND at < $2 AND ($3::text IS NULL OR host = $3) ORDER BY at, id",
            from?.UtcTicks ?? long.MinValue, to?.UtcTicks ?? long.MaxValue, host);
        using var reader = command.ExecuteReader();
        var result = new List<HostOutcome>();
        while (reader.Read())
        {
            result.Add(OutcomeLogRows.Outcome(reader));
        }

        return result;
    }

    public IEnumerable<HostFeatures> Features(DateTimeOffset? from = null, DateTimeOffset? to = null) => OutcomeLogRows.Features(from, to, FeaturePage);

    public DateTimeOffset? LatestFeaturesAt()
    {
        using var command = database.Command("SELECT max(at) FROM predictor_features");
        return command.ExecuteScalar() is long ticks ? Time(ticks) : null;
    }

    public (int Features, int Outcomes) Prune(DateTimeOffset featuresBefore, DateTimeOffset outcomesBefore)
    {
        var token = fencingToken?.Invoke();
        var features = PostgresDatabase.Statement("DELETE FROM predictor_features WHERE at < $1", featuresBefore.UtcTicks);
        var outcomes = PostgresDatabase.Statement("DELETE FROM predictor_outcomes WHERE at < $1", outcomesBefore.UtcTicks);
        Write(token, [features, outcomes]);
        return (features.RecordsAffected, outcomes.RecordsAffected);
    }

    private void Write(long? token, IEnumerable<NpgsqlBatchCommand> statements)
    {
        if (token is { } t)
        {
            database.Write(t, statements);
        }
        else
        {
            database.WriteUnfenced(statements);
        }
    }

    private List<HostFeatures> FeaturePage(long after, long until)
    {
        using var command = database.Command($"""
            SELECT at, host, last_seen, set_id, vals FROM predictor_features
            WHERE at > $1 AND at < $2
              AND at <= coalesce((SELECT at FROM predictor_features WHERE at > $1 AND at < $2 ORDER BY at LIMIT 1 OFFSET {PageRows}), $2)
            ORDER BY at, host
            """, after, until);
        var rows = new List<(long At, string Host, long? Seen, long Set, double[] Values)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetInt64(3), reader.GetFieldValue<double[]>(4)));
            }
        }

        return [.. rows.Select(r =>
        {
            var names = Names(r.Set);
            var values = new Dictionary<string, double>(names.Length, StringComparer.Ordinal);
            for (var i = 0; i < names.Length && i < r.Values.Length; i++)
            {
                values[names[i]] = r.Values[i];
            }

            return new HostFeatures(r.Host, Time(r.At), r.Seen is { } seen ? Time(seen) : null, values.ToFrozenDictionary(StringComparer.Ordinal));
        })];
    }

    private string[] Names(long id) => _names.GetOrAdd(id, key =>
    {
        using var command = database.Command("SELECT names FROM predictor_feature_sets WHERE id = $1", key);
        var text = (string)command.ExecuteScalar()!;
        return text.Length == 0 ? [] : text.Split('\n');
    });

    private static Array Column(List<object?[]> rows, int column) => column switch
    {
        1 => rows.Select(r => (long)r[column]!).ToArray(),
        7 => rows.Select(r => (double?)r[column]).ToArray(),
        9 => rows.Select(r => (long?)r[column]).ToArray(),
        _ => rows.Select(r => (string?)r[column]).ToArray(),
    };

    private static DateTimeOffset Time(long ticks) => OutcomeLogRows.Time(ticks);
}
