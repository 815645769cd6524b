using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Predictor.Daemon.Datasets;

namespace Predictor.Cli;

/// <summary>The options <c>predictor dataset</c> and <c>predictor retrain</c> share: where the rows come from and the daemon's configuration.</summary>
internal sealed class DataSourceArguments
{
    private readonly Option<string?> _log = new("--from-log")
    {
        Description = "The daemon's outcome and feature log: a SQLite file; without a value, the configuration's (PostgreSQL with Ha:ConnectionString, else predictor-outcomes.db beside the journal).",
        Arity = ArgumentArity.ZeroOrOne,
    };
    private readonly Option<string?> _influx = new("--from-influx") { Description = "InfluxDB address whose stored raw telemetry is replayed through the daemon's feature code, e.g. http://127.0.0.1:8086/." };
    private readonly Option<string?> _database = new("--database") { Description = "InfluxDB database (default: the configuration's Influx:Database)." };
    private readonly Option<string?> _outcomes = new("--outcomes") { Description = "Failure records to label with: CSV host,time,component,cause,source (with --from-influx: required)." };
    private readonly Option<string?> _from = new("--from") { Description = "First row time, ISO 8601 with a zone (e.g. 2026-01-01T00:00:00Z)." };
    private readonly Option<string?> _to = new("--to") { Description = "Last row time, ISO 8601 with a zone." };
    private readonly Option<string> _every = new("--every") { Description = "Time between a host's rows (simulator and replay; e.g. 1h).", DefaultValueFactory = _ => "1h" };
    private readonly Option<string?> _config = new("--config") { Description = "The daemon's configuration file: windows, detectors, signal mapping, Influx credentials, the log's path." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _log, _influx, _database, _outcomes, _from, _to, _every, _config })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The --every text.</summary>
    public string? Every(ParseResult parse) => parse.GetValue(_every);

    /// <summary>True when the command line names a real source (not the simulator).</summary>
    public bool Given(ParseResult parse) => parse.GetResult(_log) is not null || parse.GetValue(_influx) is not null;

    /// <summary>
    /// The source the options describe; with <paramref name="logByDefault"/> and no source option, the configuration's
    /// outcome log. Problems are added to <paramref name="errors"/>, each naming its option.
    /// </summary>
    public (DatasetSource Source, IConfiguration Configuration) Build(ParseResult parse, bool logByDefault, HttpClient http, List<string> errors)
    {
        var configuration = DaemonComposition.Configuration(parse.GetValue(_config));
        var every = DurationParser.TryParse(parse.GetValue(_every), out var parsed) ? parsed : (TimeSpan?)null;
        var options = new DatasetSourceOptions
        {
            Log = parse.GetValue(_log), LogGiven = parse.GetResult(_log) is not null, Influx = parse.GetValue(_influx), Database = parse.GetValue(_database), Outcomes = parse.GetValue(_outcomes),
            From = parse.GetValue(_from), To = parse.GetValue(_to),
        };
        var source = options.Build(configuration, every, parse.GetValue(_every), logByDefault, http, TimeProvider.System, errors);
        return (source, configuration);
    }

    /// <summary>Prints the errors as <c>predictor VERB: …</c> and returns the bad-input exit code.</summary>
    public static int Refuse(string verb, IEnumerable<string> errors)
    {
        foreach (var e in errors)
        {
            Console.Error.WriteLine($"predictor {verb}: {e}");
        }

        return 2;
    }
}
