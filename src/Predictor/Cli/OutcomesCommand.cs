using System.CommandLine;
using Predictor.Core.Outcomes;
using Predictor.Daemon.Outcomes;
using Predictor.Daemon.Retraining;

namespace Predictor.Cli;

/// <summary><c>predictor outcomes import</c>: failure and repair records from a ticket system or RMA list into the daemon's outcome log.</summary>
internal static class OutcomesCommand
{
    public static Command Create()
    {
        var csv = new Option<string>("--csv") { Description = "CSV with a header: host,time[,kind][,component][,cause][,source][,detail]; times ISO 8601 with a zone.", Required = true };
        var log = new Option<string?>("--log") { Description = "The outcome log (default: the configuration's, predictor-outcomes.db beside the journal)." };
        var config = new Option<string?>("--config") { Description = "The daemon's configuration file, for the log's path." };
        var source = new Option<string?>("--source") { Description = "Source of rows without a 'source' field (default: the file's name)." };
        var import = new Command("import", "Import outcomes (failed, repaired, …) into the outcome log; a record already there is skipped. One bad line rejects the file.")
        {
            csv, log, config, source,
        };
        import.SetAction(parse =>
        {
            var path = parse.GetValue(log) ?? LifecycleConfiguration.OutcomeLogPath(DaemonComposition.Configuration(parse.GetValue(config)));
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

            using var outcomeLog = new SqliteOutcomeLog(path);
            var added = outcomeLog.AppendRange(read.Outcomes);
            Console.Out.WriteLine($"Imported {added} outcomes into {path} ({read.Outcomes.Count - added} already there)" +
                (read.Ignored.Count > 0 ? $"; ignored column(s) {string.Join(", ", read.Ignored)}" : ""));
            return 0;
        });
        return new Command("outcomes", "The outcome log the daemon keeps for retraining.") { import };
    }
}
