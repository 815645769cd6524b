using System.CommandLine;
using Predictor.Simulation;
using Predictor.Simulation.Datasets;

namespace Predictor.Cli;

/// <summary><c>predictor dataset</c>: a labelled host-feature training set from a simulated fleet.</summary>
internal static class DatasetCommand
{
    public static Command Create()
    {
        var hosts = new Option<int>("--hosts") { Description = "Simulated hosts.", DefaultValueFactory = _ => 200 };
        var days = new Option<double>("--days") { Description = "Simulated days.", DefaultValueFactory = _ => 14 };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulation (use another than the evaluation runs').", DefaultValueFactory = _ => 1 };
        var every = new Option<string>("--every") { Description = "Time between feature rows per host (e.g. 1h).", DefaultValueFactory = _ => "1h" };
        var horizon = new Option<string>("--horizon") { Description = "A row is positive when its host fails within this (e.g. 24h).", DefaultValueFactory = _ => "24h" };
        var output = new Option<string>("--out") { Description = "CSV file to write.", Required = true };
        var command = new Command("dataset",
            "Write a labelled training set of host features (as the daemon computes them) from a simulated fleet: " +
            "host,time,<features>,label, label 1 when the host fails within the horizon.")
        {
            hosts, seed, days, every, horizon, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            if (!DurationParser.TryParse(parse.GetValue(every), out var step) || step <= TimeSpan.Zero)
            {
                errors.Add($"--every '{parse.GetValue(every)}' is not a positive duration");
            }

            if (!DurationParser.TryParse(parse.GetValue(horizon), out var window) || window <= TimeSpan.Zero)
            {
                errors.Add($"--horizon '{parse.GetValue(horizon)}' is not a positive duration");
            }

            var options = new SimulationOptions { Hosts = parse.GetValue(hosts), Seed = parse.GetValue(seed), Duration = TimeSpan.FromDays(parse.GetValue(days)) };
            errors.AddRange(options.Validate());
            if (errors.Count > 0)
            {
                foreach (var e in errors)
                {
                    await Console.Error.WriteLineAsync("predictor dataset: " + e).ConfigureAwait(false);
                }

                return 2;
            }

            var fleet = SimulatedFleet.Create(options);
            var path = parse.GetValue(output)!;
            await using var writer = new StreamWriter(path);
            var lastDecile = -1;
            var (rows, positives) = HostFeatureDataset.Write(fleet, step, window, writer, new Progress<double>(p =>
            {
                if ((int)(p * 10) > lastDecile)
                {
                    lastDecile = (int)(p * 10);
                    Console.Error.WriteLine($"dataset: {p:P0}");
                }
            }));
            await Console.Out.WriteLineAsync($"Wrote {path}: {rows} rows, {positives} positive ({fleet.Failures.Count} failures in {options.Duration.TotalDays:0.#} days, horizon {window}).").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
