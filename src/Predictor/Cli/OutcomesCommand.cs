using System.CommandLine;
using Predictor.Daemon.Outcomes;
using Predictor.Daemon.Retraining;

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
            // highly available daemons share the log in PostgreSQL: without --log the import lands where the configuration's daemons read it
            var configuration = parse.GetValue(log) is null ? DaemonComposition.Configuration(parse.GetValue(config)) : null;
            var shared = configuration is null ? null : LifecycleConfiguration.SharedOutcomeLog(configuration);
            var path = parse.GetValue(log) ?? (shared is null ? LifecycleConfiguration.OutcomeLogPath(configuration!) : null);
            return OutcomeImport.Run(parse.GetValue(csv)!, parse.GetValue(source), path, shared, Console.Out, Console.Error);
        });
        return new Command("outcomes", "The outcome log the daemon keeps for retraining.") { import };
    }
}
