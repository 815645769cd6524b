using BenchmarkDotNet.Attributes;
using Predictor.Learning.Data;
using Predictor.Learning.Trees;

namespace Predictor.Benchmarks.Learning;

/// <summary>
/// The scoring target: at least 1,000,000 rows/s on 2 threads with a 200-tree depth-6 model
/// (trained once in setup on 50,000 rows). Rows/s = Rows / Mean.
/// Run: dotnet run -c Release --project tests/Predictor.Benchmarks -- --filter '*GbdtScoring*'
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class GbdtScoringBenchmarks
{
    private DataSet _data = null!;
    private CompiledForest _forest = null!;

    [Params(1_000_000)]
    public int Rows { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var model = new GbdtTrainer(new GbdtOptions { Trees = 200, MaxDepth = 6, Leaves = 64, MaxBins = 256, Threads = 2 })
            .Train(SyntheticClassification.Generate(50_000, 1));
        _forest = new CompiledForest(model);
        _data = SyntheticClassification.Generate(Rows, 2);
    }

    [Benchmark]
    public double ScoreRaw() => _forest.RawScores(_data.Columns, Threads)[0];
}
