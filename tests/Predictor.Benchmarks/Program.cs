using BenchmarkDotNet.Running;

namespace Predictor.Benchmarks;

/// <summary>Run with: dotnet run -c Release --project tests/Predictor.Benchmarks -- --filter '*'</summary>
public static class BenchmarkProgram
{
    public static void Main(string[] args)
    {
        if (args is ["cpu-throughput"])
        {
            TimeSeries.CpuThroughput.Run();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }
}
