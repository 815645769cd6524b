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
            return OutcomeImport.Run(parse.GetValue(csv)!, parse.GetValue(source), path, Console.Out, Console.Error);
        });
        return new Command("outcomes", "The outcome log the daemon keeps for retraining.") { import };
    }
}
