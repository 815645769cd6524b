using BenchmarkDotNet.Attributes;
using Predictor.Learning.Data;
using Predictor.Learning.Trees;

namespace Predictor.Benchmarks.Learning;

/// <summary>
/// The training target: 1,000,000 rows x 32 features, 200 trees of depth 6, 256 bins, 2 threads
/// (binning included), grown best-first and level by level. Compare with XGBoost hist via compare/xgboost_compare.py.
/// Run: dotnet run -c Release --project tests/Predictor.Benchmarks -- --filter '*GbdtTraining*'
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 0, iterationCount: 3, invocationCount: 1)]
[MemoryDiagnoser]
public class GbdtTrainingBenchmarks
{
    private DataSet _data = null!;

    [Params(1_000_000)]
    public int Rows { get; set; }

    [Params("leafwise", "depthwise")]
    public string Policy { get; set; } = "leafwise";

    [GlobalSetup]
    public void Setup() => _data = SyntheticClassification.Generate(Rows, 1);

    [Benchmark]
    public int Train200TreesDepth6() =>
        new GbdtTrainer(new GbdtOptions { Trees = 200, MaxDepth = 6, Leaves = 64, GrowPolicy = Policy == "depthwise" ? GrowPolicy.DepthWise : GrowPolicy.LeafWise, MaxBins = 256, MinExamplesPerLeaf = 1, Threads = 2 })
            .Train(_data).Trees.Count;
}
