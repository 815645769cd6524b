using BenchmarkDotNet.Running;
using Predictor.Benchmarks.Learning;

namespace Predictor.Benchmarks;

/// <summary>
/// Run with: dotnet run -c Release --project tests/Predictor.Benchmarks -- --filter '*'
/// or, for scoring throughput in wall and CPU time (useful on a shared machine):
/// dotnet run -c Release --project tests/Predictor.Benchmarks -- scoring-throughput [rows] [threads]
/// </summary>
public static class BenchmarkProgram
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "scoring-throughput")
        {
            ScoringThroughput.Run(args.Skip(1).ToArray());
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }
}
