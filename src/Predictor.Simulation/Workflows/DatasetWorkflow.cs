using System.Globalization;
using Predictor.Simulation.Datasets;

namespace Predictor.Simulation.Workflows;

/// <summary><c>predictor dataset</c>'s simulated-fleet work once its options are parsed: one fleet per seed, written as a labelled training set.</summary>
public static class DatasetWorkflow
{
    /// <summary>
    /// Checks the options together (each problem on its own line of <paramref name="stderr"/>, exit code 2), then writes
    /// the rows of every seed's fleet to <paramref name="path"/>, reporting progress by tenths. Exit code 0 when written.
    /// </summary>
    /// <param name="every">Time between a host's rows; null when <paramref name="everyText"/> was not a duration.</param>
    /// <param name="horizon">A row is positive when its host fails within this; null when <paramref name="horizonText"/> was not a duration.</param>
    /// <param name="seeds">A seed, or seeds A..B.</param>
    /// <param name="keepCensored">Also write rows whose horizon runs past the simulated period.</param>
    public static async Task<int> RunAsync(
        int hosts, double days, string seeds, TimeSpan? every, string? everyText, TimeSpan? horizon, string? horizonText, string path, bool keepCensored,
        TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var errors = new List<string>();
        if (every is not { } step || step <= TimeSpan.Zero)
        {
            errors.Add($"--every '{everyText}' is not a positive duration");
            step = TimeSpan.Zero;
        }

        if (horizon is not { } window || window <= TimeSpan.Zero)
        {
            errors.Add($"--horizon '{horizonText}' is not a positive duration");
            window = TimeSpan.Zero;
        }

        var range = SeedRange.Parse(seeds, out var seedError);
        if (range is null)
        {
            errors.Add("--seeds " + seedError);
        }

        var options = new SimulationOptions { Hosts = hosts, Seed = range?.First ?? 1, Duration = TimeSpan.FromDays(days) };
        errors.AddRange(options.Validate());
        if (errors.Count > 0)
        {
            foreach (var e in errors)
            {
                await stderr.WriteLineAsync("predictor dataset: " + e).ConfigureAwait(false);
            }

            return 2;
        }

        var fleets = range!.Seeds.Select(s => SimulatedFleet.Create(options with { Seed = s })).ToList();
        await using var writer = new StreamWriter(path);
        var lastDecile = -1;
        var (rows, positives) = HostFeatureDataset.Write(fleets, step, window, writer, new SimulateWorkflow.SynchronousProgress(p =>
        {
            if ((int)(p * 10) > lastDecile)
            {
                lastDecile = (int)(p * 10);
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dataset: {p:P0}"));
            }
        }), keepCensored);
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {path}: {rows} rows, {positives} positive ({fleets.Sum(f => f.Failures.Count)} failures in {fleets.Count} fleet(s) of {options.Duration.TotalDays:0.#} days, horizon {window}).")).ConfigureAwait(false);
        return 0;
    }
}
