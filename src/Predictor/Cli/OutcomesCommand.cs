using System.CommandLine;
using Predictor.Core.Outcomes;
using Predictor.Daemon.Outcomes;
using Predictor.Daemon.Retraining;
using Predictor.Daemon.State.Postgres;

namespace Predictor.Cli;

/// <summary><c>predictor outcomes import</c>: failure and repair records from a ticket system or RMA list into the daemon's outcome log.</summary>
internal static class OutcomesCommand
{
    public static Command Create()
    {
        var csv = new Option<string>("--csv") { Description = "CSV with a header: host,time[,kind][,component][,cause][,source][,detail]; times ISO 8601 with a zone.", Required = true };
        var log = new Option<string?>("--log") { Description = "The outcome log, a SQLite file (default: the configuration's: PostgreSQL with Ha:ConnectionString, else predictor-outcomes.db beside the journal)." };
        var config = new Option<string?>("--config") { Description = "The daemon's configuration file, for the log's path." };
        var source = new Option<string?>("--source") { Description = "Source of rows without a 'source' field (default: the file's name)." };
        var import = new Command("import", "Import outcomes (failed, repaired, …) into the outcome log; a record already there is skipped. One bad line rejects the file.")
        {
            csv, log, config, source,
        };
        import.SetAction(parse =>
        {
            var configuration = parse.GetValue(log) is null ? DaemonComposition.Configuration(parse.GetValue(config)) : null;
            var shared = configuration is null ? null : LifecycleConfiguration.SharedOutcomeLog(configuration);
            var path = parse.GetValue(log) ?? (shared is null ? LifecycleConfiguration.OutcomeLogPath(configuration!) : null);
            OutcomeCsv.Result read;
            try
            {
                read = OutcomeCsv.Load(parse.GetValue(csv)!, parse.GetValue(source));
            }
            catch (Exception e) when (e is OutcomeCsvException or IOException)
            {
                Console.Error.WriteLine($"predictor outcomes import: {e.Message}");
                return e is OutcomeCsvException ? 2 : 1;
            }

            // highly available daemons share the log in PostgreSQL: the import lands there, where every leader reads it
            var (added, into) = shared is null ? ImportInto(new SqliteOutcomeLog(path!), path!, read.Outcomes) : ImportInto(PostgresOutcomeLog.Open(shared), null, read.Outcomes);
            Console.Out.WriteLine($"Imported {added} outcomes into {into} ({read.Outcomes.Count - added} already there)" +
                (read.Ignored.Count > 0 ? $"; ignored column(s) {string.Join(", ", read.Ignored)}" : ""));
            return 0;
        });
        return new Command("outcomes", "The outcome log the daemon keeps for retraining.") { import };
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
