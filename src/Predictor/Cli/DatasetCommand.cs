using System.CommandLine;
using Predictor.Core.Outcomes;
using Predictor.Telemetry.Influx;
using Predictor.Simulation.Workflows;

namespace Predictor.Cli;

/// <summary>
/// <c>predictor dataset</c>: a labelled host-feature training set from a simulated fleet, or from real telemetry: the
/// daemon's outcome and feature log (<c>--from-log</c>) or raw telemetry in InfluxDB replayed through the daemon's
/// feature code (<c>--from-influx</c>).
/// </summary>
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
        var horizon = new Option<string>("--horizon") { Description = "A row is positive when its host fails within this (e.g. 48h, the shipped model's).", DefaultValueFactory = _ => "24h" };
        var output = new Option<string>("--out") { Description = "CSV file to write.", Required = true };
        var keepCensored = new Option<bool>("--keep-censored")
        {
            Description = "Also write the rows whose horizon runs past the simulated period (their label sees only the period): to replay a period's passes, not to train on.",
        };
        var command = new Command("dataset",
            "Write a labelled training set of host features (as the daemon computes them): host,time,<features>,label, label 1 when the " +
            "host fails within the horizon. From a simulated fleet (--hosts, --days, --seeds), the daemon's outcome log (--from-log) or " +
            "raw telemetry in InfluxDB (--from-influx … --outcomes); rows whose outcome is unknown (censored) are left out, from a simulated fleet unless --keep-censored.")
        {
            hosts, seed, days, horizon, output, keepCensored,
        };
        var real = new DataSourceArguments();
        real.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            if (real.Given(parse))
            {
                if (!DurationParser.TryParse(parse.GetValue(horizon), out var h) || h <= TimeSpan.Zero)
                {
                    errors.Add($"--horizon '{parse.GetValue(horizon)}' is not a positive duration");
                }

                using var http = new HttpClient();
                var (source, _) = real.Build(parse, logByDefault: false, http, errors);
                if (errors.Count > 0)
                {
                    return DataSourceArguments.Refuse("dataset", errors);
                }

                try
                {
                    await using var file = new StreamWriter(parse.GetValue(output)!);
                    var counts = await source.WriteAsync(h, file, null, null, cancellationToken).ConfigureAwait(false);
                    await Console.Out.WriteLineAsync($"Wrote {parse.GetValue(output)}: {counts.Rows} rows, {counts.Positives} positive, from {counts.From:u} to {counts.To:u} ({source.Description}, horizon {h}); " +
                        $"left out {counts.Censored} censored rows (outcome unknown) and {counts.OutOfService} of hosts out of service.").ConfigureAwait(false);
                    return 0;
                }
                catch (OutcomeCsvException e)
                {
                    return DataSourceArguments.Refuse("dataset", [e.Message]);
                }
                catch (Exception e) when (e is InfluxException or HttpRequestException or IOException or InvalidOperationException)
                {
                    await Console.Error.WriteLineAsync($"predictor dataset: {e.Message}").ConfigureAwait(false);
                    return 1;
                }
            }

            var every = real.Every(parse);
            return await DatasetWorkflow.RunAsync(
                parse.GetValue(hosts), parse.GetValue(days), parse.GetValue(seed)!, DurationParser.TryParse(every, out var step) ? step : null, every,
                DurationParser.TryParse(parse.GetValue(horizon), out var window) ? window : null, parse.GetValue(horizon), parse.GetValue(output)!,
                parse.GetValue(keepCensored), Console.Out, Console.Error).ConfigureAwait(false);
        });
        return command;
    }
}
