namespace Predictor.Learning.Workflows;

/// <summary>
/// What <c>predictor train</c> does. Tree options left null take the defaults of ML.NET FastTree binary
/// classification (100 trees, 20 leaves, 10 examples per leaf, learning rate 0.2, 255 bins).
/// </summary>
public sealed record TrainRequest
{
    public required string DataPath { get; init; }

    public required string Label { get; init; }

    public required string OutPath { get; init; }

    public string? Group { get; init; }

    public string? Time { get; init; }

    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Evaluate on this file and train on all of <see cref="DataPath"/>; else hold out <see cref="TestFraction"/>.</summary>
    public string? TestPath { get; init; }

    /// <summary><c>gbdt</c> (default) or <c>logistic</c>.</summary>
    public string Learner { get; init; } = "gbdt";

    /// <summary><c>platt</c> (default, as ML.NET), <c>isotonic</c> or <c>none</c>.</summary>
    public string Calibration { get; init; } = "platt";

    public int? Trees { get; init; }

    public int? MaxDepth { get; init; }

    /// <summary>
    /// Maximum leaves per tree; with <see cref="GrowPolicy"/> <c>depthwise</c> it defaults to <c>2^MaxDepth</c> (full trees).
    /// </summary>
    public int? Leaves { get; init; }

    /// <summary><c>leafwise</c> (default: best leaf first, as ML.NET FastTree and LightGBM) or <c>depthwise</c> (level by level, as XGBoost).</summary>
    public string GrowPolicy { get; init; } = "leafwise";

    public double? LearningRate { get; init; }

    public int? MaxBins { get; init; }

    public int? MinExamplesPerLeaf { get; init; }

    public double? L2 { get; init; }

    /// <summary>L1 penalty of the logistic learner.</summary>
    public double? L1 { get; init; }

    public double? Subsample { get; init; }

    public double? FeatureFraction { get; init; }

    /// <summary>Weight of positive rows; <c>0</c> means negatives/positives of the training data.</summary>
    public double? PositiveWeight { get; init; }

    public int? Threads { get; init; }

    public int Seed { get; init; } = 1;

    public int EarlyStopping { get; init; }

    public double TestFraction { get; init; } = 0.2;

    /// <summary>The horizon the label means ("fails within"), recorded in the model for the risk assessor.</summary>
    public double HorizonHours { get; init; } = 24;

    /// <summary>Also compute permutation importance on the held-out data.</summary>
    public bool PermutationImportance { get; init; } = true;
}

/// <summary>What <c>predictor train</c> produced.</summary>
/// <param name="ModelPath">The model file.</param>
/// <param name="ReportPath">The report, <c>&lt;out&gt;.report.json</c>.</param>
/// <param name="Summary">Lines for the console: metrics and phase timings.</param>
public sealed record TrainResult(string ModelPath, string ReportPath, IReadOnlyList<string> Summary);
