using System.Text.Json;
using Microsoft.Data.Sqlite;
using Predictor.Core.Files;
using Predictor.Core.Risk;
using Predictor.Daemon.Automation;
using Predictor.Daemon.Pipeline;

namespace Predictor.Daemon.State;

/// <summary>
/// What an operator or the pipeline decided that must outlive the process: quarantined hosts with the assessment that
/// flagged them, operators' releases, an operator's pause, and the rollout's applied, halted and owner-held hosts. A SQLite file (<c>Pipeline:StatePath</c>, mode 0600,
/// written through at every change) so that a restarted daemon neither lifts a quarantine nor resumes a paused fleet.
/// </summary>
public sealed class DaemonStateStore : IDisposable
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    /// <param name="path">The SQLite file, or ":memory:" for state that lives as long as the process.</param>
    public DaemonStateStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        PrivateFiles.PrepareDatabase(path);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS quarantine (host TEXT PRIMARY KEY, assessment TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS released (host TEXT PRIMARY KEY, release TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS rollout (host TEXT PRIMARY KEY, record TEXT NOT NULL);
            """);
    }

    /// <summary>A host is quarantined (any release of it is over).</summary>
    public void SaveQuarantine(RiskAssessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        Execute("INSERT OR REPLACE INTO quarantine (host, assessment) VALUES ($k, $v); DELETE FROM released WHERE host = $k;", assessment.Host, JsonSerializer.Serialize(assessment, s_json));
    }

    /// <summary>An operator released a host from quarantine.</summary>
    public void SaveRelease(string host, Release release) =>
        Execute("DELETE FROM quarantine WHERE host = $k; INSERT OR REPLACE INTO released (host, release) VALUES ($k, $v);", host, JsonSerializer.Serialize(release, s_json));

    public IReadOnlyList<RiskAssessment> Quarantined() =>
        [.. Rows("SELECT host, assessment FROM quarantine ORDER BY host").Select(r => JsonSerializer.Deserialize<RiskAssessment>(r.Value, s_json)!)];

    public IReadOnlyDictionary<string, Release> Released() =>
        Rows("SELECT host, release FROM released ORDER BY host").ToDictionary(r => r.Key, r => JsonSerializer.Deserialize<Release>(r.Value, s_json)!, StringComparer.Ordinal);

    /// <summary>Records where a host's update stands; a <see cref="RolloutState.Pending"/> record clears it.</summary>
    public void SaveRollout(RolloutRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.State == RolloutState.Pending)
        {
            Execute("DELETE FROM rollout WHERE host = $k;", record.Host);
        }
        else
        {
            Execute("INSERT OR REPLACE INTO rollout (host, record) VALUES ($k, $v);", record.Host, JsonSerializer.Serialize(record, s_json));
        }
    }

    public IReadOnlyList<RolloutRecord> Rollout() =>
        [.. Rows("SELECT host, record FROM rollout ORDER BY host").Select(r => JsonSerializer.Deserialize<RolloutRecord>(r.Value, s_json)!)];

    /// <summary>Saves an operator's pause, or clears it when <paramref name="pause"/> is null.</summary>
    public void SavePause(PauseState? pause)
    {
        if (pause is null)
        {
            Execute("DELETE FROM settings WHERE key = $k;", "pause");
        }
        else
        {
            Execute("INSERT OR REPLACE INTO settings (key, value) VALUES ($k, $v);", "pause", JsonSerializer.Serialize(pause, s_json));
        }
    }

    public PauseState? Pause() =>
        Rows("SELECT key, value FROM settings WHERE key = 'pause'").Select(r => JsonSerializer.Deserialize<PauseState>(r.Value, s_json)).FirstOrDefault();

    public void Dispose() => _connection.Dispose();

    private void Execute(string sql, string? key = null, string? value = null)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            if (key is not null)
            {
                command.Parameters.AddWithValue("$k", key);
            }

            if (value is not null)
            {
                command.Parameters.AddWithValue("$v", value);
            }

            command.ExecuteNonQuery();
        }
    }

    private List<KeyValuePair<string, string>> Rows(string sql)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
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
