using System.CommandLine;
using System.Globalization;
using Predictor.Simulation;
using Predictor.Simulation.Output;

namespace Predictor.Cli;

/// <summary><c>predictor simulate</c>: writes a synthetic datacenter's inventory, telemetry, failure labels and updates.</summary>
internal static class SimulateCommand
{
    private static readonly SimulationOptions s_defaults = new();

    public static Command Create()
    {
        var hosts = new Option<int>("--hosts") { Description = "Number of hosts", DefaultValueFactory = _ => s_defaults.Hosts };
        var vmsPerHost = new Option<double>("--vms-per-host") { Description = "Mean VMs per host (packed under capacity; bigger hosts get more)", DefaultValueFactory = _ => s_defaults.VmsPerHost };
        var days = new Option<double>("--days") { Description = "Simulated days of telemetry; 0 writes the inventory only", DefaultValueFactory = _ => s_defaults.Duration.TotalDays };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed gives the same files", DefaultValueFactory = _ => s_defaults.Seed };
        var output = new Option<string>("--out") { Description = "Directory to write inventory.json, telemetry.lp, labels.csv and updates.csv to", Required = true };
        var interval = new Option<string>("--interval") { Description = "Telemetry interval, e.g. 30s, 5m, 1h", DefaultValueFactory = _ => "5m" };
        var failureRate = new Option<double>("--failures-per-host-year") { Description = "Injected host failures per host-year (deliberately elevated by default)", DefaultValueFactory = _ => s_defaults.FailuresPerHostYear };
        var noWarning = new Option<double>("--no-warning-share") { Description = "Share of failures with no precursor", DefaultValueFactory = _ => s_defaults.NoWarningShare };
        var datacenter = new Option<string>("--datacenter") { Description = "Datacenter name in inventory.json", DefaultValueFactory = _ => s_defaults.Datacenter };

        var command = new Command("simulate", "Write a simulated datacenter: inventory.json, telemetry.lp (Influx line protocol), labels.csv (injected failures) and updates.csv.")
        {
            hosts, vmsPerHost, days, seed, output, interval, failureRate, noWarning, datacenter,
        };

        command.SetAction((parseResult, cancellationToken) =>
        {
            var errors = new List<string>();
            var intervalText = parseResult.GetValue(interval) ?? "";
            var intervalOk = TryParseDuration(intervalText, out var step);
            if (!intervalOk)
            {
                errors.Add($"--interval: '{intervalText}' is not a duration; expected a number with a unit s, m, h or d, e.g. 5m.");
            }

            var dayCount = parseResult.GetValue(days);
            if (!double.IsFinite(dayCount) || dayCount < 0 || dayCount > 3660)
            {
                errors.Add($"--days must be between 0 and 3660, got {dayCount.ToString(CultureInfo.InvariantCulture)}.");
                dayCount = 0;
            }

            var options = new SimulationOptions
            {
                Hosts = parseResult.GetValue(hosts),
                VmsPerHost = parseResult.GetValue(vmsPerHost),
                Seed = parseResult.GetValue(seed),
                Duration = TimeSpan.FromDays(dayCount),
                TelemetryInterval = intervalOk ? step : s_defaults.TelemetryInterval,
                FailuresPerHostYear = parseResult.GetValue(failureRate),
                NoWarningShare = parseResult.GetValue(noWarning),
                Datacenter = parseResult.GetValue(datacenter) ?? "",
            };
            errors.AddRange(options.Validate().Where(e => !e.StartsWith("Duration", StringComparison.Ordinal)).Select(ToFlag));
            if (errors.Count > 0)
            {
                Console.Error.WriteLine($"predictor simulate: invalid options ({errors.Count}):");
                foreach (var e in errors)
                {
                    Console.Error.WriteLine("  " + e);
                }

                return Task.FromResult(2);
            }

            return Task.FromResult(Run(options, parseResult.GetValue(output)!, cancellationToken));
        });
        return command;
    }

    private static int Run(SimulationOptions options, string directory, CancellationToken cancellationToken)
    {
        var clock = TimeProvider.System;
        var started = clock.GetTimestamp();
        Console.Error.WriteLine($"simulate: {options.Hosts} hosts, {options.Duration.TotalDays.ToString("0.##", CultureInfo.InvariantCulture)} days at {options.TelemetryInterval} → {directory}");
        var fleet = SimulatedFleet.Create(options);
        Console.Error.WriteLine($"simulate: fleet built in {clock.GetElapsedTime(started).TotalSeconds:0.00} s ({fleet.Inventory.Vms.Length} VMs, {fleet.Failures.Count} failures)");
        var lastTenth = -1;
        var progress = new SynchronousProgress(share =>
        {
            var tenth = (int)(share * 10);
            if (tenth > lastTenth && options.Duration > TimeSpan.Zero)
            {
                lastTenth = tenth;
                Console.Error.WriteLine($"simulate: telemetry {tenth * 10}% ({clock.GetElapsedTime(started).TotalSeconds:0.0} s)");
            }
        });

        SimulationFilesResult result;
        try
        {
            result = SimulationFiles.Write(fleet, directory, progress, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"predictor simulate: cannot write to '{directory}': {e.Message}");
            return 1;
        }

        Console.WriteLine(
            $"Wrote {Path.GetFullPath(result.Directory)}: {result.Hosts} hosts, {result.Vms} VMs, {result.Failures} injected failures, " +
            $"{result.Updates} pending updates, {result.TelemetryLines} telemetry lines in {clock.GetElapsedTime(started).TotalSeconds:0.00} s.");
        return 0;
    }

    /// <summary>Option messages name the option property; users know the flag.</summary>
    private static string ToFlag(string message)
    {
        (string Property, string Flag)[] map =
        [
            ("Hosts × VmsPerHost", "--hosts × --vms-per-host"), ("Hosts", "--hosts"), ("VmsPerHost", "--vms-per-host"), ("TelemetryInterval", "--interval"), ("Seed", "--seed"),
            ("FailuresPerHostYear", "--failures-per-host-year"), ("NoWarningShare", "--no-warning-share"), ("Datacenter", "--datacenter"),
        ];
        foreach (var (property, flag) in map)
        {
            if (message.StartsWith(property + " ", StringComparison.Ordinal))
            {
                return flag + message[property.Length..];
            }
        }

        return message;
    }

    /// <summary>Parses "90s", "5m", "1.5h", "2d" (a bare number is seconds).</summary>
    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        var unit = char.IsLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsLetter(text[^1]) ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
        {
            return false;
        }

        double? seconds = unit switch { 's' => value, 'm' => value * 60, 'h' => value * 3600, 'd' => value * 86400, _ => null };
        if (seconds is not { } s || s > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(s);
        return true;
    }

    /// <summary>Reports on the calling thread (System.Progress would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
