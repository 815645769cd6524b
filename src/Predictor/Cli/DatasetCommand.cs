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
        var seed = new Option<string>("--seed", "--seeds")
        {
            Description = "Seed of the simulation, or seeds A..B (one fleet each, hosts named s<seed>-<host>); use others than the evaluation runs'.",
            DefaultValueFactory = _ => "1",
        };
        var every = new Option<string>("--every") { Description = "Time between feature rows per host (e.g. 1h).", DefaultValueFactory = _ => "1h" };
        var horizon = new Option<string>("--horizon") { Description = "A row is positive when its host fails within this (e.g. 24h).", DefaultValueFactory = _ => "24h" };
        var output = new Option<string>("--out") { Description = "CSV file to write.", Required = true };
        var keepCensored = new Option<bool>("--keep-censored")
        {
            Description = "Also write the rows whose horizon runs past the simulated period (their label sees only the period): to replay a period's passes, not to train on.",
        };
        var command = new Command("dataset",
            "Write a labelled training set of host features (as the daemon computes them) from a simulated fleet: " +
            "host,time,<features>,label, label 1 when the host fails within the horizon. Rows whose horizon runs past the simulated period are left out (censored) unless --keep-censored.")
        {
            hosts, seed, days, every, horizon, output, keepCensored,
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

            var seeds = SeedRange.Parse(parse.GetValue(seed), out var seedError);
            if (seeds is null)
            {
                errors.Add("--seeds " + seedError);
            }

            var options = new SimulationOptions { Hosts = parse.GetValue(hosts), Seed = seeds?.First ?? 1, Duration = TimeSpan.FromDays(parse.GetValue(days)) };
            errors.AddRange(options.Validate());
            if (errors.Count > 0)
            {
                foreach (var e in errors)
                {
                    await Console.Error.WriteLineAsync("predictor dataset: " + e).ConfigureAwait(false);
                }

                return 2;
            }

            var fleets = seeds!.Seeds.Select(s => SimulatedFleet.Create(options with { Seed = s })).ToList();
            var path = parse.GetValue(output)!;
            await using var writer = new StreamWriter(path);
            var lastDecile = -1;
            var (rows, positives) = HostFeatureDataset.Write(fleets, step, window, writer, new Progress<double>(p =>
            {
                if ((int)(p * 10) > lastDecile)
                {
                    lastDecile = (int)(p * 10);
                    Console.Error.WriteLine($"dataset: {p:P0}");
                }
            }), parse.GetValue(keepCensored));
            await Console.Out.WriteLineAsync($"Wrote {path}: {rows} rows, {positives} positive ({fleets.Sum(f => f.Failures.Count)} failures in {fleets.Count} fleet(s) of {options.Duration.TotalDays:0.#} days, horizon {window}).").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
