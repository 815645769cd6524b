using System.CommandLine;
using Predictor.Simulation.Lifecycle;

namespace Predictor.Cli;

/// <summary><c>predictor mitigation-experiment</c>: retraining generations with mitigation on, naive labels against repair diagnoses.</summary>
internal static class MitigationExperimentCommand
{
    public static Command Create()
    {
        var defaults = new MitigationExperimentOptions { WorkDirectory = "" };
        var generations = new Option<int>("--generations") { Description = "Retraining generations after the first model.", DefaultValueFactory = _ => defaults.Generations };
        var hosts = new Option<int>("--hosts") { Description = "Hosts of each generation's simulated fleet.", DefaultValueFactory = _ => defaults.Hosts };
        var days = new Option<double>("--days") { Description = "Simulated days of each generation's fleet.", DefaultValueFactory = _ => defaults.Days };
        var seed = new Option<int>("--first-seed") { Description = "Seed of the first fleet; generation g runs on first-seed + g.", DefaultValueFactory = _ => defaults.FirstSeed };
        var heldOut = new Option<int>("--held-out-seed") { Description = "Seed of the fleet every model's ROC AUC is measured on.", DefaultValueFactory = _ => defaults.HeldOutSeed };
        var rate = new Option<double>("--failures-per-host-year") { Description = "Injected failures per host-year of every fleet.", DefaultValueFactory = _ => defaults.FailuresPerHostYear };
        var threshold = new Option<double>("--threshold") { Description = "Probability at which a host is evacuated.", DefaultValueFactory = _ => defaults.Threshold };
        var output = new Option<string>("--out") { Description = "Directory for the data sets, the models and mitigation.md / mitigation.json.", Required = true };
        var command = new Command("mitigation-experiment",
            "Retrain host models for several generations on simulated fleets where each model's predictions are acted on (an evacuated host " +
            "leaves service before it can fail), once labelling evacuated hosts as not failed (naive) and once by their repair diagnosis; " +
            "report every model's held-out ROC AUC and its false evacuations and caught failures on the next fleet.")
        {
            generations, hosts, days, seed, heldOut, rate, threshold, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new MitigationExperimentOptions
            {
                Generations = parse.GetValue(generations),
                Hosts = parse.GetValue(hosts),
                Days = parse.GetValue(days),
                FirstSeed = parse.GetValue(seed),
                HeldOutSeed = parse.GetValue(heldOut),
                FailuresPerHostYear = parse.GetValue(rate),
                Threshold = parse.GetValue(threshold),
                WorkDirectory = parse.GetValue(output)!,
            };
            var errors = options.Validate();
            if (errors.Count > 0)
            {
                foreach (var e in errors)
                {
                    await Console.Error.WriteLineAsync("predictor mitigation-experiment: " + e).ConfigureAwait(false);
                }

                return 2;
            }

            var results = await Task.Run(() => MitigationExperiment.Run(options, TimeProvider.System, line => Console.Error.WriteLine(line)), cancellationToken).ConfigureAwait(false);
            var line = "predictor mitigation-experiment " + string.Join(' ', parse.Tokens.Where(t => t.Type != System.CommandLine.Parsing.TokenType.Command).Select(t => t.Value));
            await using (var md = new StreamWriter(Path.Combine(options.WorkDirectory, "mitigation.md")))
            {
                MitigationReport.WriteMarkdown(options, results, line, md);
            }

            await using (var json = new StreamWriter(Path.Combine(options.WorkDirectory, "mitigation.json")))
            {
                MitigationReport.WriteJson(options, results, line, json);
            }

            MitigationReport.WriteMarkdown(options, results, line, Console.Out);
            return 0;
        });
        return command;
    }
}
