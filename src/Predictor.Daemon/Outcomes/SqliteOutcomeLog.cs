using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Predictor.Core.Files;
using Predictor.Core.Outcomes;
using Predictor.Core.Risk;

namespace Predictor.Daemon.Outcomes;

/// <summary>
/// The outcome and feature log in a SQLite file (mode 0600, WAL, shared with <c>predictor outcomes import</c> and
/// <c>predictor retrain</c> running beside the daemon). Features are stored compactly: each distinct list of feature
/// names once (<c>feature_sets</c>), each row as its values in that order (little-endian doubles, NaN = missing).
/// The schema carries its version in <c>PRAGMA user_version</c>; a file written by a newer Predictor is refused rather
/// than misread.
/// </summary>
public sealed class SqliteOutcomeLog : IOutcomeLog, IDisposable
{
    /// <summary>The schema this code writes and reads.</summary>
    public const int SchemaVersion = 1;

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _sets = new(StringComparer.Ordinal);
    private readonly Dictionary<long, string[]> _names = [];

    /// <param name="path">The SQLite file, or ":memory:".</param>
    /// <exception cref="InvalidOperationException">The file's schema is newer than this code's.</exception>
    public SqliteOutcomeLog(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        PrivateFiles.PrepareDatabase(path);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString());
        _connection.Open();
        Execute("PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        var version = Convert.ToInt32(Scalar("PRAGMA user_version"), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            _connection.Dispose();
            throw new InvalidOperationException($"{path}: the outcome log has schema version {version}, newer than this Predictor's {SchemaVersion}; use the Predictor that wrote it, or a newer one");
        }

        if (version < 1)
        {
            Execute("""
                BEGIN IMMEDIATE;
                CREATE TABLE IF NOT EXISTS outcomes (
                    id INTEGER PRIMARY KEY, host TEXT NOT NULL, at INTEGER NOT NULL, kind TEXT NOT NULL,
                    component TEXT NOT NULL DEFAULT '', cause TEXT NOT NULL DEFAULT '', source TEXT NOT NULL,
                    model_version TEXT, probability REAL, detail TEXT);
                CREATE UNIQUE INDEX IF NOT EXISTS outcomes_unique ON outcomes (host, at, kind, component, cause, source);
                CREATE INDEX IF NOT EXISTS outcomes_at ON outcomes (at);
                CREATE TABLE IF NOT EXISTS feature_sets (id INTEGER PRIMARY KEY, names TEXT NOT NULL UNIQUE);
                CREATE TABLE IF NOT EXISTS features (
                    at INTEGER NOT NULL, host TEXT NOT NULL, last_seen INTEGER, set_id INTEGER NOT NULL REFERENCES feature_sets (id),
                    vals BLOB NOT NULL, PRIMARY KEY (at, host)) WITHOUT ROWID;
                PRAGMA user_version = 1;
                COMMIT;
                """);
        }
    }

    /// <summary>The file (or ":memory:").</summary>
    public string Path { get; }

    public bool Append(HostOutcome outcome) => AppendRange([outcome]) == 1;

    public int AppendRange(IReadOnlyCollection<HostOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT OR IGNORE INTO outcomes (host, at, kind, component, cause, source, model_version, probability, detail)
                VALUES ($host, $at, $kind, $component, $cause, $source, $model, $p, $detail)
                """;
            var p = Parameters(command, "$host", "$at", "$kind", "$component", "$cause", "$source", "$model", "$p", "$detail");
            var added = 0;
            foreach (var o in outcomes)
            {
                ArgumentException.ThrowIfNullOrWhiteSpace(o.Host);
                p[0].Value = o.Host;
                p[1].Value = Ticks(o.At);
                p[2].Value = HostOutcome.Name(o.Kind);
                p[3].Value = o.Component ?? "";
                p[4].Value = o.Cause ?? "";
                p[5].Value = o.Source;
                p[6].Value = (object?)o.ModelVersion ?? DBNull.Value;
                p[7].Value = o.Probability is { } probability ? probability : DBNull.Value;
                p[8].Value = (object?)o.Detail ?? DBNull.Value;
                added += command.ExecuteNonQuery();
            }

            transaction.Commit();
            return added;
        }
    }

    public void AppendFeatures(IReadOnlyCollection<HostFeatures> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        if (hosts.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT OR REPLACE INTO features (at, host, last_seen, set_id, vals) VALUES ($at, $host, $seen, $set, $vals)";
            var p = Parameters(command, "$at", "$host", "$seen", "$set", "$vals");
            foreach (var h in hosts)
            {
                var names = h.Values.Keys.Order(StringComparer.Ordinal).ToArray();
                var values = new byte[names.Length * sizeof(double)];
                for (var i = 0; i < names.Length; i++)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(values.AsSpan(i * sizeof(double)), h.Values[names[i]]);
                }

                p[0].Value = Ticks(h.At);
                p[1].Value = h.Host;
                p[2].Value = h.LastSeen is { } seen ? Ticks(seen) : DBNull.Value;
                p[3].Value = SetId(names, transaction);
                p[4].Value = values;
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    public IReadOnlyList<HostOutcome> Outcomes(DateTimeOffset? from = null, DateTimeOffset? to = null, string? host = null)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                SELECT host, at, kind, component, cause, source, model_version, probability, detail FROM outcomes
                WHERE at >= $from AND at < $to AND ($host IS NULL OR host = $host) ORDER BY at, id
                """;
            command.Parameters.AddWithValue("$from", from is { } f ? Ticks(f) : long.MinValue);
            command.Parameters.AddWithValue("$to", to is { } t ? Ticks(t) : long.MaxValue);
            command.Parameters.AddWithValue("$host", (object?)host ?? DBNull.Value);
            using var reader = command.ExecuteReader();
            var result = new List<HostOutcome>();
            while (reader.Read())
            {
                result.Add(OutcomeLogRows.Outcome(reader));
            }

            return result;
        }
    }

    // read in pages of whole timestamps, so a long span never holds the lock (or the heap) for all of it
    public IEnumerable<HostFeatures> Features(DateTimeOffset? from = null, DateTimeOffset? to = null) => OutcomeLogRows.Features(from, to, FeaturePage);

    public DateTimeOffset? LatestFeaturesAt()
    {
        lock (_gate)
        {
            return Scalar("SELECT MAX(at) FROM features") is long ticks ? Time(ticks) : null;
        }
    }

    public (int Features, int Outcomes) Prune(DateTimeOffset featuresBefore, DateTimeOffset outcomesBefore)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM features WHERE at < $before";
            command.Parameters.AddWithValue("$before", Ticks(featuresBefore));
            var features = command.ExecuteNonQuery();
            command.CommandText = "DELETE FROM outcomes WHERE at < $before";
            command.Parameters["$before"].Value = Ticks(outcomesBefore);
            return (features, command.ExecuteNonQuery());
        }
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>The rows of the timestamps after <paramref name="after"/>, up to about 10,000 rows (whole timestamps).</summary>
    private List<HostFeatures> FeaturePage(long after, long until)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                SELECT at, host, last_seen, set_id, vals FROM features
                WHERE at > $after AND at < $until
                  AND at <= COALESCE((SELECT at FROM features WHERE at > $after AND at < $until ORDER BY at LIMIT 1 OFFSET 10000), $until)
                ORDER BY at, host
                """;
            command.Parameters.AddWithValue("$after", after);
            command.Parameters.AddWithValue("$until", until);
            using var reader = command.ExecuteReader();
            var rows = new List<HostFeatures>();
            while (reader.Read())
            {
                var names = Names(reader.GetInt64(3));
                var blob = (byte[])reader.GetValue(4);
                var values = new Dictionary<string, double>(names.Length, StringComparer.Ordinal);
                for (var i = 0; i < names.Length && (i + 1) * sizeof(double) <= blob.Length; i++)
                {
                    values[names[i]] = BinaryPrimitives.ReadDoubleLittleEndian(blob.AsSpan(i * sizeof(double)));
                }

                rows.Add(new HostFeatures(reader.GetString(1), Time(reader.GetInt64(0)), reader.IsDBNull(2) ? null : Time(reader.GetInt64(2)), values.ToFrozenDictionary(StringComparer.Ordinal)));
            }

            return rows;
        }
    }

    private long SetId(string[] names, SqliteTransaction transaction)
    {
        var key = string.Join('\n', names);
        if (_sets.TryGetValue(key, out var id))
        {
            return id;
        }

        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR IGNORE INTO feature_sets (names) VALUES ($n); SELECT id FROM feature_sets WHERE names = $n;";
        command.Parameters.AddWithValue("$n", key);
        id = (long)command.ExecuteScalar()!;
        _sets[key] = id;
        _names[id] = names;
        return id;
    }

    private string[] Names(long id)
    {
        if (_names.TryGetValue(id, out var names))
        {
            return names;
        }

        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT names FROM feature_sets WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        var text = (string)command.ExecuteScalar()!;
        names = text.Length == 0 ? [] : text.Split('\n');
        _names[id] = names;
        _sets[text] = id;
        return names;
    }

    private static SqliteParameter[] Parameters(SqliteCommand command, params string[] names) =>
        [.. names.Select(n => command.Parameters.Add(new SqliteParameter { ParameterName = n }))];

    private static long Ticks(DateTimeOffset time) => time.UtcTicks;

    private static DateTimeOffset Time(long ticks) => OutcomeLogRows.Time(ticks);

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
