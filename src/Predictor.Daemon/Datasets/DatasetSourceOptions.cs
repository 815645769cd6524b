using Microsoft.Extensions.Configuration;
using Predictor.Core.Outcomes;
using Predictor.Daemon.Retraining;

namespace Predictor.Daemon.Datasets;

/// <summary>
/// Where <c>predictor dataset</c> and <c>predictor retrain</c> take their rows from, as given on the command line (each
/// property is its option's text, null when not given), turned into a <see cref="DatasetSource"/> with every problem
/// named by its option.
/// </summary>
public sealed record DatasetSourceOptions
{
    /// <summary><c>--from-log</c>: the outcome and feature log.</summary>
    public string? Log { get; init; }

    /// <summary><c>--from-log</c> was given, with or without a file (without: the log the configuration's daemon writes).</summary>
    public bool LogGiven { get; init; }

    /// <summary><c>--from-influx</c>: the InfluxDB whose raw telemetry is replayed.</summary>
    public string? Influx { get; init; }

    /// <summary><c>--database</c>: the InfluxDB database; null: the configuration's.</summary>
    public string? Database { get; init; }

    /// <summary><c>--outcomes</c>: failure records to label with.</summary>
    public string? Outcomes { get; init; }

    /// <summary><c>--from</c>: first row time.</summary>
    public string? From { get; init; }

    /// <summary><c>--to</c>: last row time.</summary>
    public string? To { get; init; }

    /// <summary>
    /// The source: with <paramref name="logByDefault"/> and no source option, the configuration's outcome log. Problems are
    /// added to <paramref name="errors"/>, each naming its option, and checked together with the source's own only when the
    /// options themselves were good.
    /// </summary>
    /// <param name="every">The parsed <c>--every</c>; null when it was not a positive duration (reported as <paramref name="everyText"/>).</param>
    public DatasetSource Build(IConfiguration configuration, TimeSpan? every, string? everyText, bool logByDefault, HttpClient http, TimeProvider time, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var replay = new ReplaySettings();
        try
        {
            replay = ReplaySettings.FromConfiguration(configuration);
        }
        catch (ArgumentException e)
        {
            errors.Add(e.Message);
        }

        DateTimeOffset? Time(string option, string? text)
        {
            if (text is null)
            {
                return null;
            }

            if (OutcomeCsv.TryParseTime(text, out var parsed))
            {
                return parsed;
            }

            errors.Add($"{option} '{text}' is not an ISO 8601 time with a zone (expected e.g. 2026-01-05T10:00:00Z)");
            return null;
        }

        if (every is not { } step || step <= TimeSpan.Zero)
        {
            errors.Add($"--every '{everyText}' is not a positive duration");
            step = TimeSpan.FromHours(1);
        }

        IRawTelemetry? influx = null;
        if (Influx is { } url)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var address) && address.Scheme is "http" or "https")
            {
                replay.Influx.BaseAddress = address;
                replay.Influx.Database = Database ?? replay.Influx.Database;
                influx = new InfluxRawTelemetry(http, replay, time);
            }
            else
            {
                errors.Add($"--from-influx '{url}' is not an http or https address");
            }
        }

        // --from-log without a file, or no source with logByDefault: the log the configuration's daemon writes (in
        // PostgreSQL when its daemons run highly available)
        var configured = Log is null && (LogGiven || (logByDefault && Influx is null));
        var shared = configured ? LifecycleConfiguration.SharedOutcomeLog(configuration) : null;
        var source = new DatasetSource
        {
            LogPath = Log ?? (configured && shared is null ? LifecycleConfiguration.OutcomeLogPath(configuration) : null),
            SharedLog = shared,
            Influx = influx,
            OutcomesCsv = Outcomes,
            From = Time("--from", From),
            To = Time("--to", To),
            Every = step,
            Replay = replay,
        };
        if (errors.Count == 0)
        {
            errors.AddRange(source.Problems());
        }

        return source;
    }
}
