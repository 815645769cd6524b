using System.CommandLine;
using Predictor.Learning.TimeSeries.Nab;
using Predictor.Learning.Workflows;

namespace Predictor.Cli;

/// <summary><c>predictor nab</c>: scores detectors on a NAB corpus (<see cref="NabBenchmark"/>) with the standard profile.</summary>
internal static class NabCommand
{
    private static readonly Option<string> Corpus = new("--corpus") { Description = "NAB corpus root: <category>/<file>.csv and combined_windows.json.", Required = true };
    private static readonly Option<string> Detectors = new("--detectors")
    {
        Description = $"Comma-separated detectors among {string.Join(", ", NabBenchmark.Detectors.Keys)}.",
        DefaultValueFactory = _ => string.Join(',', NabBenchmark.DefaultDetectors),
    };

    private static readonly Option<bool> PerFile = new("--per-file") { Description = "Also print each series' score, windows detected and false positives." };

    public static Command Create()
    {
        var command = new Command("nab", "Score anomaly detectors on the Numenta Anomaly Benchmark (standard profile, one threshold for all series).");
        command.Options.Add(Corpus);
        command.Options.Add(Detectors);
        command.Options.Add(PerFile);
        command.SetAction((parse, ct) => Task.FromResult(Run(parse)));
        return command;
    }

    private static int Run(ParseResult parse) =>
        NabWorkflow.Run(parse.GetValue(Corpus)!, parse.GetValue(Detectors)!, parse.GetValue(PerFile), Console.Out, Console.Error);
}
