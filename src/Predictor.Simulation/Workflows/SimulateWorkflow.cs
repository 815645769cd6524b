using System.Globalization;
using Predictor.Simulation.Output;

namespace Predictor.Simulation.Workflows;

/// <summary><c>predictor simulate</c>'s work once its options are parsed: write a simulated datacenter's files and report.</summary>
public static class SimulateWorkflow
{
    /// <summary>
    /// Builds the fleet and writes its files into <paramref name="directory"/>, reporting progress by tenths to
    /// <paramref name="stderr"/> and the result to <paramref name="stdout"/>. Exit code: 0 written, 1 cannot write.
    /// </summary>
    public static int Run(SimulationOptions options, string directory, TimeProvider clock, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        stderr.WriteLine($"simulate: {options.Hosts} hosts, {options.Duration.TotalDays.ToString("0.##", CultureInfo.InvariantCulture)} days at {options.TelemetryInterval} → {directory}");
        var fleet = SimulatedFleet.Create(options);
        stderr.WriteLine($"simulate: fleet built in {clock.GetElapsedTime(started).TotalSeconds:0.00} s ({fleet.Inventory.Vms.Length} VMs, {fleet.Failures.Count} failures)");
        var lastTenth = -1;
        var progress = new SynchronousProgress(share =>
        {
            var tenth = (int)(share * 10);
            if (tenth > lastTenth && options.Duration > TimeSpan.Zero)
            {
                lastTenth = tenth;
                stderr.WriteLine($"simulate: telemetry {tenth * 10}% ({clock.GetElapsedTime(started).TotalSeconds:0.0} s)");
            }
        });

        SimulationFilesResult result;
        try
        {
            result = SimulationFiles.Write(fleet, directory, progress, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"predictor simulate: cannot write to '{directory}': {e.Message}");
            return 1;
        }

        stdout.WriteLine(
            $"Wrote {Path.GetFullPath(result.Directory)}: {result.Hosts} hosts, {result.Vms} VMs, {result.Failures} injected failures, " +
            $"{result.Updates} pending updates, {result.TelemetryLines} telemetry lines in {clock.GetElapsedTime(started).TotalSeconds:0.00} s.");
        return 0;
    }

    /// <summary>
    /// The options the command line gave: <paramref name="given"/> with the duration of <paramref name="days"/> and the
    /// telemetry interval <paramref name="interval"/> (e.g. 5m). Every problem is added to <paramref name="errors"/>, named by
    /// its flag; a bad interval or day count is replaced by the default so the other options are still checked.
    /// </summary>
    public static SimulationOptions Options(SimulationOptions given, string interval, double days, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(errors);
        var intervalOk = TryParseDuration(interval, out var step);
        if (!intervalOk)
        {
            errors.Add($"--interval: '{interval}' is not a duration; expected a number with a unit s, m, h or d, e.g. 5m.");
        }

        if (!double.IsFinite(days) || days < 0 || days > 3660)
        {
            errors.Add($"--days must be between 0 and 3660, got {days.ToString(CultureInfo.InvariantCulture)}.");
            days = 0;
        }

        var options = given with { Duration = TimeSpan.FromDays(days), TelemetryInterval = intervalOk ? step : given.TelemetryInterval };
        errors.AddRange(OptionErrors(options));
        return options;
    }

    /// <summary>Prints every error under one heading and returns the bad-input exit code, 2.</summary>
    public static int Refuse(IReadOnlyList<string> errors, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(stderr);
        stderr.WriteLine($"predictor simulate: invalid options ({errors.Count}):");
        foreach (var e in errors)
        {
            stderr.WriteLine("  " + e);
        }

        return 2;
    }

    /// <summary>The options' errors as the command line names them (<see cref="SimulationOptions.Duration"/> is checked as --days).</summary>
    private static IEnumerable<string> OptionErrors(SimulationOptions options) =>
        options.Validate().Where(e => !e.StartsWith("Duration", StringComparison.Ordinal)).Select(ToFlag);

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

    /// <summary>Reports on the calling thread (System.Progress would post to the thread pool and reorder lines).</summary>
    internal sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    /// <summary>Parses "90s", "5m", "1.5h", "2d" (a bare number is seconds).</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
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
}
