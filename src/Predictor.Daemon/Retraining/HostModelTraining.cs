using System.Text.Json.Nodes;
using Predictor.Core.Risk;
using Predictor.Learning.Assessment;
using Predictor.Learning.Workflows;

namespace Predictor.Daemon.Retraining;

/// <summary>
/// How a host model is trained on a host-feature data set (<c>predictor dataset</c>'s columns: host, time, features,
/// label): the learner's settings that <c>predictor train</c> takes as options. The defaults are those of the shipped
/// host model (see its card, <c>models/host-failure.md</c>).
/// </summary>
public sealed record HostModelRecipe
{
    public int Trees { get; init; } = 200;

    public int Leaves { get; init; } = 20;

    public double LearningRate { get; init; } = 0.1;

    public int MinExamplesPerLeaf { get; init; } = 100;

    public double FeatureFraction { get; init; } = 0.8;

    public int Seed { get; init; } = 1;

    public int Threads { get; init; } = 2;

    /// <summary>What the label means: the host fails within this many hours.</summary>
    public double HorizonHours { get; init; } = 48;
}

/// <summary>A trained host model: its file and its ROC AUC on the held-out data (null when it has none, e.g. one class only).</summary>
public sealed record TrainedHostModel(string ModelPath, double? HeldOutRocAuc, IReadOnlyList<string> Summary);

/// <summary>
/// Trains host models and loads them as the daemon does, for the simulator's retraining experiments, with only
/// <see cref="Core"/> types at its surface (the simulator does not use the learning library directly).
/// </summary>
public static class HostModelTraining
{
    /// <summary>
    /// Trains on <paramref name="data"/> (group <c>host</c>, time <c>time</c>, label <c>label</c>) with
    /// <paramref name="recipe"/>; evaluates on <paramref name="test"/> when given (else on a fifth of the hosts held out).
    /// </summary>
    public static TrainedHostModel Train(string data, string? test, string output, HostModelRecipe recipe, TimeProvider time, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var result = TrainWorkflow.Run(new TrainRequest
        {
            DataPath = data,
            TestPath = test,
            Label = "label",
            Group = "host",
            Time = "time",
            OutPath = output,
            Trees = recipe.Trees,
            Leaves = recipe.Leaves,
            LearningRate = recipe.LearningRate,
            MinExamplesPerLeaf = recipe.MinExamplesPerLeaf,
            FeatureFraction = recipe.FeatureFraction,
            Seed = recipe.Seed,
            Threads = recipe.Threads,
            HorizonHours = recipe.HorizonHours,
            PermutationImportance = false,
        }, time, progress);
        var report = JsonNode.Parse(File.ReadAllText(result.ReportPath));
        var auc = report?["metrics"]?["heldOut"]?["rocAuc"]?.GetValue<double>();
        return new TrainedHostModel(result.ModelPath, auc, result.Summary);
    }

    /// <summary>The model as the daemon's assessor, checked against the features the daemon computes (<paramref name="computed"/>).</summary>
    public static IRiskAssessor Load(string modelPath, IReadOnlyCollection<string> computed) => ModelRiskAssessor.Load(modelPath, computed);
}
