using Predictor.Core.Outcomes;
using Predictor.Daemon.Ha;
using Predictor.Daemon.State.Postgres;

namespace Predictor.Daemon.Outcomes;

/// <summary><c>predictor outcomes import</c>: failure and repair records from a CSV into the outcome log, each record once.</summary>
public static class OutcomeImport
{
    /// <summary>
    /// Appends the records of <paramref name="csvPath"/> that the log at <paramref name="logPath"/> (or, with
    /// <paramref name="shared"/>, the highly available daemons' log in PostgreSQL) does not hold yet and
    /// reports how many to <paramref name="stdout"/>. Exit code: 0 imported, 2 a bad line (the file is rejected), 1 unreadable.
    /// </summary>
    /// <param name="source">Source of rows without a <c>source</c> field; null: the file's name.</param>
    public static int Run(string csvPath, string? source, string? logPath, HaOptions? shared, TextWriter stdout, TextWriter stderr)
    {
        OutcomeCsv.Result read;
        try
        {
            read = OutcomeCsv.Load(csvPath, source);
        }
        catch (Exception e) when (e is OutcomeCsvException or IOException)
        {
            stderr.WriteLine($"predictor outcomes import: {e.Message}");
            return e is OutcomeCsvException ? 2 : 1;
        }

        var (added, into) = shared is null
            ? ImportInto(new SqliteOutcomeLog(logPath ?? throw new ArgumentNullException(nameof(logPath), "a log file or a shared log")), logPath, read.Outcomes)
            : ImportInto(PostgresOutcomeLog.Open(shared), null, read.Outcomes);
        stdout.WriteLine($"Imported {added} outcomes into {into} ({read.Outcomes.Count - added} already there)" +
            (read.Ignored.Count > 0 ? $"; ignored column(s) {string.Join(", ", read.Ignored)}" : ""));
        return 0;
    }

    private static (int Added, string Into) ImportInto<TLog>(TLog log, string? path, IReadOnlyCollection<HostOutcome> outcomes)
        where TLog : IOutcomeLog, IDisposable
    {
        using (log)
        {
            return (log.AppendRange(outcomes), path ?? (log as PostgresOutcomeLog)!.Description);
        }
    }
}
