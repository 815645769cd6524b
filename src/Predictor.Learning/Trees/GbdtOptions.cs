namespace Predictor.Learning.Trees;

/// <summary>
/// Gradient-boosted tree options. Defaults are ML.NET FastTree binary classification's where it has the
/// same setting (trees, leaves, examples per leaf, learning rate, bins).
/// </summary>
internal sealed record GbdtOptions
{
    /// <summary>The deepest tree depth-wise growth accepts (2^20 leaves).</summary>
    public const int MaxDepthWiseDepth = 20;

    /// <summary>Boosting rounds. <value>The default value is 100 (ML.NET NumberOfTrees).</value></summary>
    public int Trees { get; init; } = 100;

    /// <summary>
    /// Maximum leaves per tree. With depth-wise growth it caps a level (its best splits are kept), so full trees need
    /// <c>2^MaxDepth</c>. <value>The default value is 20 (ML.NET NumberOfLeaves).</value>
    /// </summary>
    public int Leaves { get; init; } = 20;

    /// <summary>How trees grow: best leaf first, or level by level. <value>The default value is <see cref="GrowPolicy.LeafWise"/> (as ML.NET FastTree).</value></summary>
    public GrowPolicy GrowPolicy { get; init; } = GrowPolicy.LeafWise;

    /// <summary>Maximum depth; 0 means unlimited (ML.NET has no depth limit). <value>The default value is 0.</value></summary>
    public int MaxDepth { get; init; }

    /// <summary>Minimum training rows in a leaf. <value>The default value is 10 (ML.NET MinimumExampleCountPerLeaf).</value></summary>
    public int MinExamplesPerLeaf { get; init; } = 10;

    /// <summary>Minimum hessian sum in a leaf. <value>The default value is 0.001.</value></summary>
    public double MinHessianPerLeaf { get; init; } = 1e-3;

    /// <summary>Shrinkage of each tree. <value>The default value is 0.2 (ML.NET LearningRate).</value></summary>
    public double LearningRate { get; init; } = 0.2;

    /// <summary>Bins per feature, the missing-value bin included (at most 256). <value>The default value is 255 (ML.NET MaximumBinCountPerFeature).</value></summary>
    public int MaxBins { get; init; } = 255;

    /// <summary>L2 penalty on leaf values. <value>The default value is 1.</value></summary>
    public double L2 { get; init; } = 1.0;

    /// <summary>Minimum loss reduction to split. <value>The default value is 0.</value></summary>
    public double MinSplitGain { get; init; }

    /// <summary>Fraction of rows sampled for each tree. <value>The default value is 1.</value></summary>
    public double RowSubsample { get; init; } = 1.0;

    /// <summary>Fraction of features considered by each tree. <value>The default value is 1.</value></summary>
    public double FeatureFraction { get; init; } = 1.0;

    /// <summary>Weight of positive rows (for rare failures, e.g. negatives/positives). <value>The default value is 1.</value></summary>
    public double PositiveWeight { get; init; } = 1.0;

    /// <summary>Stop after this many rounds without validation log-loss improvement; 0 disables. <value>The default value is 0.</value></summary>
    public int EarlyStoppingRounds { get; init; }

    /// <summary>Threads for training and scoring. <value>The default value is the processor count.</value></summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Seed of row and feature sampling. <value>The default value is 1.</value></summary>
    public int Seed { get; init; } = 1;

    /// <summary>Every problem with these options, all at once.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                errors.Add(message);
            }
        }

        Require(Trees >= 1, $"--trees must be at least 1, got {Trees}");
        Require(Leaves >= 2, $"--leaves must be at least 2, got {Leaves}");
        Require(MaxDepth >= 0, $"--max-depth must be 0 (unlimited) or more, got {MaxDepth}");
        Require(GrowPolicy != GrowPolicy.DepthWise || MaxDepth is >= 1 and <= MaxDepthWiseDepth,
            $"--grow-policy depthwise needs --max-depth in 1..{MaxDepthWiseDepth}, got {MaxDepth}");
        Require(MinExamplesPerLeaf >= 1, $"--min-examples-per-leaf must be at least 1, got {MinExamplesPerLeaf}");
        Require(MinHessianPerLeaf >= 0, $"minimum hessian per leaf must be 0 or more, got {MinHessianPerLeaf}");
        Require(LearningRate is > 0 and <= 1, $"--learning-rate must be in (0, 1], got {LearningRate}");
        Require(MaxBins is >= 3 and <= 256, $"--max-bins must be in 3..256, got {MaxBins}");
        Require(L2 >= 0, $"--l2 must be 0 or more, got {L2}");
        Require(MinSplitGain >= 0, $"minimum split gain must be 0 or more, got {MinSplitGain}");
        Require(RowSubsample is > 0 and <= 1, $"--subsample must be in (0, 1], got {RowSubsample}");
        Require(FeatureFraction is > 0 and <= 1, $"--feature-fraction must be in (0, 1], got {FeatureFraction}");
        Require(PositiveWeight > 0, $"--positive-weight must be above 0, got {PositiveWeight}");
        Require(EarlyStoppingRounds >= 0, $"--early-stopping must be 0 (off) or more, got {EarlyStoppingRounds}");
        Require(Threads >= 1, $"--threads must be at least 1, got {Threads}");
        return errors;
    }
}

/// <summary>The order in which a tree's leaves are split.</summary>
internal enum GrowPolicy
{
    /// <summary>Best first: always split the leaf with the largest loss reduction (LightGBM, ML.NET FastTree).</summary>
    LeafWise,

    /// <summary>Level by level: split every leaf of a depth before the next one (XGBoost's default).</summary>
    DepthWise,
}
