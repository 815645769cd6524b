using Predictor.Learning.Data;
using Predictor.Learning.Trees;

namespace Predictor.Learning.Tests.Trees;

public class TreeGrowerTests
{
    private static DataSet Steps(float[] x, float[] y) => new(["x"], [x], y);

    [Fact]
    public void Train_SeparableStep_SplitsAtMidpointWithNewtonLeafValues()
    {
        // Base score logit(0.5) = 0, so p = 0.5: g = ±0.5, h = 0.25 per row; each side G = ±2, H = 1.
        // Leaf = -G/(H+λ)·η = ∓2/(1+1)·1 = ∓1; gain = ½(G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)) = ½(2 + 2 − 0) = 2.
        var data = Steps([1, 2, 3, 4, 5, 6, 7, 8], [0, 0, 0, 0, 1, 1, 1, 1]);
        var options = new GbdtOptions { Trees = 1, Leaves = 2, MinExamplesPerLeaf = 1, LearningRate = 1, L2 = 1, Threads = 1 };

        var model = new GbdtTrainer(options).Train(data);

        var tree = Assert.Single(model.Trees);
        Assert.Equal(0, model.BaseScore, 12);
        Assert.Equal(0, tree.SplitFeature[0]);
        Assert.Equal(4.5f, tree.Threshold[0]);
        Assert.Equal(2.0, tree.Gain[0], 12);
        Assert.Equal(-1.0, tree.LeafValue[~tree.Left[0]], 12);
        Assert.Equal(1.0, tree.LeafValue[~tree.Right[0]], 12);
    }

    [Fact]
    public void Train_ImbalancedLabels_LeafValuesFollowFromTheBaseScore()
    {
        // 2 of 8 positive: base = ln(0.25/0.75), p = 0.25, h = 0.1875. Right side {7,8}: G = 2·(0.25−1) = −1.5,
        // H = 0.375, λ = 0.5, η = 0.5: leaf = 1.5/0.875·0.5. Left side: G = 6·0.25 = 1.5, H = 1.125: leaf = −1.5/1.625·0.5.
        var data = Steps([1, 2, 3, 4, 5, 6, 7, 8], [0, 0, 0, 0, 0, 0, 1, 1]);
        var options = new GbdtOptions { Trees = 1, Leaves = 2, MinExamplesPerLeaf = 1, LearningRate = 0.5, L2 = 0.5, Threads = 1 };

        var model = new GbdtTrainer(options).Train(data);

        var tree = Assert.Single(model.Trees);
        Assert.Equal(Math.Log(0.25 / 0.75), model.BaseScore, 12);
        Assert.Equal(6.5f, tree.Threshold[0]);
        Assert.Equal(-1.5 / 1.625 * 0.5, tree.LeafValue[~tree.Left[0]], 6);
        Assert.Equal(1.5 / 0.875 * 0.5, tree.LeafValue[~tree.Right[0]], 6);
    }

    [Fact]
    public void Train_MinExamplesPerLeaf_MovesTheSplitToKeepEnoughRows()
    {
        var data = Steps([1, 2, 3, 4, 5, 6, 7, 8], [0, 0, 0, 0, 0, 0, 1, 1]);
        var options = new GbdtOptions { Trees = 1, Leaves = 2, MinExamplesPerLeaf = 3, LearningRate = 1, Threads = 1 };

        var tree = Assert.Single(new GbdtTrainer(options).Train(data).Trees);

        Assert.Equal(5.5f, tree.Threshold[0]);
        Assert.Equal(3.0, tree.LeafCover[~tree.Right[0]]);
    }

    [Fact]
    public void Train_MissingValuesArePositive_LearnsMissingGoesRight()
    {
        var data = Steps([1, 2, 3, 4, float.NaN, float.NaN, float.NaN, float.NaN], [0, 0, 0, 0, 1, 1, 1, 1]);
        var options = new GbdtOptions { Trees = 1, Leaves = 2, MinExamplesPerLeaf = 1, LearningRate = 1, L2 = 1, Threads = 1 };

        var model = new GbdtTrainer(options).Train(data);

        var tree = Assert.Single(model.Trees);
        Assert.False(tree.DefaultLeft[0]);
        Assert.Equal(2.0, tree.Gain[0], 12);
        Assert.Equal(1.0, model.RawScore([float.NaN]), 12);
        Assert.Equal(-1.0, model.RawScore([100f]), 12);
    }

    [Fact]
    public void Train_DepthLimit_NoTreeIsDeeper()
    {
        var data = Synthetic.Classification(5_000, 6, seed: 3);
        var options = new GbdtOptions { Trees = 10, Leaves = 64, MaxDepth = 3, Threads = 2 };

        var model = new GbdtTrainer(options).Train(data);

        Assert.All(model.Trees, t => Assert.True(t.Depth() <= 3));
        Assert.Contains(model.Trees, t => t.LeafValue.Length == 8);
    }

    [Fact]
    public void Train_SameSeedAnyThreadCount_BitwiseEqualModels()
    {
        var data = Synthetic.Classification(150_000, 8, seed: 5);
        var options = new GbdtOptions { Trees = 8, Leaves = 31, RowSubsample = 0.8, FeatureFraction = 0.75, Seed = 7 };

        var one = new GbdtTrainer(options with { Threads = 1 }).Train(data);
        var two = new GbdtTrainer(options with { Threads = 2 }).Train(data);
        var again = new GbdtTrainer(options with { Threads = 2 }).Train(data);

        Assert.Equal(Flatten(one), Flatten(two));
        Assert.Equal(Flatten(two), Flatten(again));
    }

    [Fact]
    public void Train_DepthWiseAnyThreadCount_BitwiseEqualModels()
    {
        var data = Synthetic.Classification(60_000, 6, seed: 9);
        var options = new GbdtOptions { Trees = 6, MaxDepth = 5, Leaves = 32, GrowPolicy = GrowPolicy.DepthWise, MinExamplesPerLeaf = 5, Seed = 3 };

        var one = new GbdtTrainer(options with { Threads = 1 }).Train(data);
        var two = new GbdtTrainer(options with { Threads = 2 }).Train(data);

        Assert.Equal(Flatten(one), Flatten(two));
    }

    [Fact]
    public void Train_DepthWiseAndLeafWiseWithRoomForFullTrees_SamePredictions()
    {
        // With 2^depth leaves allowed, both orders split every splittable leaf down to the depth limit: the
        // trees are the same, only their nodes are numbered in another order.
        var data = Synthetic.Classification(20_000, 6, seed: 13);
        var options = new GbdtOptions { Trees = 5, MaxDepth = 4, Leaves = 16, MinExamplesPerLeaf = 20, Threads = 2 };

        var leafWise = new GbdtTrainer(options).Train(data);
        var depthWise = new GbdtTrainer(options with { GrowPolicy = GrowPolicy.DepthWise }).Train(data);

        Assert.Equal(leafWise.Trees.Select(t => t.LeafValue.Length), depthWise.Trees.Select(t => t.LeafValue.Length));
        var row = new float[6];
        for (var i = 0; i < 500; i++)
        {
            for (var f = 0; f < row.Length; f++)
            {
                row[f] = data.Columns[f][i];
            }

            Assert.Equal(leafWise.RawScore(row), depthWise.RawScore(row));
        }
    }

    [Fact]
    public void Train_DepthWiseLeafLimitBelowAFullLevel_KeepsTheLevelsBestSplits()
    {
        var data = Synthetic.Classification(20_000, 6, seed: 17);
        var options = new GbdtOptions { Trees = 1, MaxDepth = 3, Leaves = 6, GrowPolicy = GrowPolicy.DepthWise, Threads = 1 };
        var full = new GbdtTrainer(options with { Leaves = 8 }).Train(data).Trees[0];

        var capped = new GbdtTrainer(options).Train(data).Trees[0];

        // Depth 2 has four leaves; only two more splits fit, and they are the two best of the four the full tree made.
        Assert.Equal(6, capped.LeafValue.Length);
        var fullLastLevel = full.Gain.Skip(3).OrderDescending().Take(2);
        Assert.Equal(fullLastLevel, capped.Gain.Skip(3).OrderDescending());
    }

    [Fact]
    public void Options_DepthWiseWithoutDepth_ClearError()
    {
        var ex = Assert.Throws<LearningInputException>(() => new GbdtTrainer(new GbdtOptions { GrowPolicy = GrowPolicy.DepthWise }));

        Assert.Equal("--grow-policy depthwise needs --max-depth in 1..20, got 0", ex.Message);
    }

    [Fact]
    public void Train_SyntheticData_HeldOutAucIsHigh()
    {
        var data = Synthetic.Classification(20_000, 6, seed: 11);
        var (train, test) = DataSplitter.ByRow(data.Rows, 0.25, 1);
        var model = new GbdtTrainer(new GbdtOptions { Threads = 2 }).Train(data.Subset(train));
        var heldOut = data.Subset(test);

        var scores = new CompiledForest(model).RawScores(heldOut.Columns, 2);

        // The true log-odds give the best AUC possible on these labels; a good learner gets close to it.
        var truth = Enumerable.Range(0, heldOut.Rows)
            .Select(i => (4.0 * heldOut.Columns[0][i]) - (3.0 * heldOut.Columns[1][i]) + (heldOut.Columns[2][i] > 0.5f ? 2 : 0))
            .ToArray();
        var best = Predictor.Learning.Metrics.BinaryMetrics.RocAuc(truth, heldOut.Labels);
        Assert.InRange(Predictor.Learning.Metrics.BinaryMetrics.RocAuc(scores, heldOut.Labels), best - 0.01, best);
    }

    [Fact]
    public void Train_PositiveWeight_WeighsTheBaseScoreAndGradients()
    {
        // 2 of 8 positive with weight 3: the weighted prior is 6/12, so the base score is 0 and p = 0.5.
        // Right {7,8}: G = 3·2·(0.5 − 1) = −3, H = 3·2·0.25 = 1.5; with λ = 1, η = 1 the leaf is 3/2.5 = 1.2.
        var data = Steps([1, 2, 3, 4, 5, 6, 7, 8], [0, 0, 0, 0, 0, 0, 1, 1]);
        var options = new GbdtOptions { Trees = 1, Leaves = 2, MinExamplesPerLeaf = 1, LearningRate = 1, L2 = 1, PositiveWeight = 3, Threads = 1 };

        var model = new GbdtTrainer(options).Train(data);

        var tree = Assert.Single(model.Trees);
        Assert.Equal(0, model.BaseScore, 12);
        Assert.Equal(1.2, tree.LeafValue[~tree.Right[0]], 6);
    }

    [Fact]
    public void Train_EarlyStopping_KeepsTheBestRoundOnly()
    {
        var train = Synthetic.Classification(2_000, 6, seed: 21);
        var validation = Synthetic.Classification(2_000, 6, seed: 22);
        var options = new GbdtOptions { Trees = 300, Leaves = 64, MinExamplesPerLeaf = 1, LearningRate = 1, EarlyStoppingRounds = 5, Threads = 1 };
        var trainer = new GbdtTrainer(options);

        var model = trainer.Train(train, validation);

        Assert.InRange(trainer.BestIteration, 1, 100);
        Assert.Equal(trainer.BestIteration, model.Trees.Count);
    }

    [Fact]
    public void Train_BadOptions_ReportsEveryProblemAtOnce()
    {
        var ex = Assert.Throws<LearningInputException>(() => new GbdtTrainer(new GbdtOptions { Trees = 0, MaxBins = 300, LearningRate = 2 }));

        Assert.Equal(
            "--trees must be at least 1, got 0; --learning-rate must be in (0, 1], got 2; --max-bins must be in 3..256, got 300",
            ex.Message);
    }

    private static string Flatten(GbdtModel model) =>
        string.Join("|", model.Trees.Select(t =>
            string.Join(",", t.SplitFeature) + ";" + string.Join(",", t.ThresholdBin) + ";" +
            string.Join(",", t.LeafValue.Select(v => BitConverter.DoubleToInt64Bits(v)))));
}
