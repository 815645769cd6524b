using System.Diagnostics;
using System.Globalization;
using Predictor.Learning.Trees;

namespace Predictor.Benchmarks.Learning;

/// <summary>
/// Scores 1,000,000 rows with a 200-tree depth-6 forest five times and prints rows per wall second and per
/// CPU second of this process, so a figure taken on a shared machine can be read for what it is.
/// </summary>
internal static class ScoringThroughput
{
    public static void Run(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        var model = new GbdtTrainer(new GbdtOptions { Trees = 200, MaxDepth = 6, Leaves = 64, MaxBins = 256, Threads = threads })
            .Train(SyntheticClassification.Generate(50_000, 1));
        var forest = new CompiledForest(model);
        var data = SyntheticClassification.Generate(rows, 2);
        forest.RawScores(data.Columns, threads);
        var process = Process.GetCurrentProcess();
        for (var run = 0; run < 5; run++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            forest.RawScores(data.Columns, threads);
            var wallSeconds = wall.Elapsed.TotalSeconds;
            process.Refresh();
            var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run + 1}: {rows} rows, {threads} threads, depth {forest.Depth}: {wallSeconds:F3} s wall = {rows / wallSeconds:F0} rows/s; " +
                $"{cpuSeconds:F3} s CPU = {rows / cpuSeconds:F0} rows per CPU-second"));
        }
    }
}
