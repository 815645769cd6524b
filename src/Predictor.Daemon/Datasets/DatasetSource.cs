using Predictor.Core.Outcomes;
using Predictor.Core.Risk;
using Predictor.Daemon.Ha;
using Predictor.Daemon.Outcomes;
using Predictor.Daemon.State.Postgres;
using Predictor.Learning.Lifecycle;

namespace Predictor.Daemon.Datasets;

/// <summary>
/// Where a training set's rows come from: the daemon's outcome and feature log (<see cref="LogPath"/>, or
/// <see cref="SharedLog"/> for daemons that run highly available: the features the daemon computed live, labelled by the
/// outcomes it recorded), or stored raw telemetry replayed through the daemon's
/// feature code (<see cref="Influx"/>, labelled by <see cref="OutcomesCsv"/>). Outcomes from a CSV join the log's.
/// </summary>
public sealed record DatasetSource
{
    /// <summary>The outcome log (SQLite) to read features and outcomes from.</summary>
    public string? LogPath { get; init; }

    /// <summary>The outcome log in PostgreSQL to read features and outcomes from: the <c>Ha</c> section of daemons that run highly available.</summary>
    public HaOptions? SharedLog { get; init; }

    private bool FromLog => LogPath is not null || SharedLog is not null;

    /// <summary>Raw telemetry to replay (InfluxDB).</summary>
    public IRawTelemetry? Influx { get; init; }

    /// <summary>Failure records (host,time,component,cause,source) to label with, besides the log's.</summary>
    public string? OutcomesCsv { get; init; }

    /// <summary>First row time; null: the log's first (required with a replay).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Last row time; null: the log's newest (required with a replay).</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Time between rows of a replay.</summary>
    public TimeSpan Every { get; init; } = TimeSpan.FromHours(1);

    public ReplaySettings Replay { get; init; } = new();

    /// <summary>Where the rows come from, in words (for lineage).</summary>
    public string Description =>
        LogPath is not null ? $"outcome log {Path.GetFullPath(LogPath)}"
        : SharedLog?.ResolveConnectionString() is { } shared ? $"outcome log in PostgreSQL {PostgresDatabase.TargetOf(shared)}"
        : Influx?.Description ?? "nothing";

    /// <summary>The problems with the request, each naming the option; empty when it is usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (FromLog == (Influx is not null) || (LogPath is not null && SharedLog is not null))
        {
            problems.Add("give exactly one of --from-log and --from-influx");
        }

        if (LogPath is not null && !File.Exists(LogPath))
        {
            problems.Add($"--from-log: no outcome log at '{LogPath}'");
        }

        if (Influx is not null && (From is null || To is null))
        {
            problems.Add("--from-influx needs --from and --to");
        }

        if (Influx is not null && OutcomesCsv is null)
        {
            problems.Add("--from-influx needs --outcomes <csv>: the failures to label the rows with");
        }

        if (From is { } f && To is { } t && f >= t)
        {
            problems.Add($"--from ({f:u}) must be before --to ({t:u})");
        }

        if (Every <= TimeSpan.Zero)
        {
            problems.Add($"--every must be positive (got {Every})");
        }

        if (OutcomesCsv is not null && !File.Exists(OutcomesCsv))
        {
            problems.Add($"--outcomes: no file '{OutcomesCsv}'");
        }

        return problems;
    }

    /// <summary>The last row time this source will give (the log's newest features unless <see cref="To"/> says otherwise).</summary>
    public DateTimeOffset? End()
    {
        if (To is { } to || !FromLog)
        {
            return To;
        }

        var log = OpenLog();
        using (log as IDisposable)
        {
            return log.LatestFeaturesAt();
        }
    }

    /// <summary>
    /// Writes the labelled rows (<see cref="LabelledDataset"/>); with <paramref name="test"/>, rows after
    /// <paramref name="testFrom"/> go to it. Outcomes are known up to the log's newest record (a replay: up to <see cref="To"/>).
    /// </summary>
    /// <exception cref="OutcomeCsvException">The outcomes CSV is invalid (every line and field named).</exception>
    public async Task<DatasetCounts> WriteAsync(TimeSpan horizon, TextWriter train, TextWriter? test, DateTimeOffset? testFrom, CancellationToken cancellationToken)
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems));
        }

        var outcomes = new List<HostOutcome>(OutcomesCsv is null ? [] : OutcomeCsv.Load(OutcomesCsv).Outcomes);
        if (!FromLog)
        {
            var labeler = new HorizonLabeler(outcomes, horizon, To!.Value);
            var rows = new TelemetryReplay(Replay).RunAsync(Influx!, From!.Value, To.Value, Every, cancellationToken);
            return await LabelledDataset.WriteAsync(rows, labeler, train, test, testFrom, cancellationToken).ConfigureAwait(false);
        }

        var log = OpenLog();
        using var lifetime = log as IDisposable;
        outcomes.AddRange(log.Outcomes());
        var observed = new[] { log.LatestFeaturesAt(), outcomes.Count == 0 ? null : outcomes.Max(o => o.At) }.Max() ?? DateTimeOffset.MinValue;
        var logLabeler = new HorizonLabeler(outcomes, horizon, observed);
        return await LabelledDataset.WriteAsync(Rows(log.Features(From, To is { } end ? end.AddTicks(1) : null)), logLabeler, train, test, testFrom, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The log to read: the file, or the shared one in PostgreSQL (read only: nothing here writes it).</summary>
    private IOutcomeLog OpenLog() => SharedLog is { } shared ? PostgresOutcomeLog.Open(shared) : new SqliteOutcomeLog(LogPath!);

    private static async IAsyncEnumerable<HostFeatures> Rows(IEnumerable<HostFeatures> rows)
    {
        foreach (var row in rows)
        {
            yield return row;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
