using System.CommandLine;
using Predictor.Learning.TimeSeries.Nab;

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

    private static int Run(ParseResult parse)
    {
        var names = parse.GetValue(Detectors)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !NabBenchmark.Detectors.ContainsKey(n)).ToList();
        if (unknown.Count > 0 || names.Length == 0)
        {
            Console.Error.WriteLine($"nab: --detectors: unknown '{string.Join("', '", unknown)}'; expected some of {string.Join(", ", NabBenchmark.Detectors.Keys)}");
            return 2;
        }

        IReadOnlyList<NabSeries> corpus;
        try
        {
            corpus = NabCorpus.Load(parse.GetValue(Corpus)!);
        }
        catch (NabCorpusException ex)
        {
            Console.Error.WriteLine("nab: " + ex.Message);
            return 2;
        }

        var results = names.Select(n => (n, NabBenchmark.Run(corpus, NabBenchmark.Detectors[n], NabProfile.Standard))).ToList();
        Console.Error.WriteLine($"nab: {corpus.Count} series, {corpus.Sum(s => s.Values.Length)} rows, {corpus.Sum(s => s.Windows.Count)} windows");
        Console.Write(NabBenchmark.Table(results, parse.GetValue(PerFile)));
        return 0;
    }
}
