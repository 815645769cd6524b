using System.Text.Json.Nodes;
using Predictor.Learning.Calibration;
using Predictor.Learning.Explanations;
using Predictor.Learning.Linear;
using Predictor.Learning.Trees;

namespace Predictor.Learning.Models;

/// <summary>What the model was trained on: the roles of the CSV columns and the data's size.</summary>
internal sealed record TrainingDescription(
    string Source,
    string Label,
    string? Group,
    string? Time,
    IReadOnlyList<string> Excluded,
    int Rows,
    int Positives,
    double HorizonHours,
    JsonObject Options);

/// <summary>A model ready to score: a GBDT or a logistic regression, its calibrator and its description.</summary>
internal sealed class TrainedModel
{
    public const string GbdtKind = "gbdt";
    public const string LogisticKind = "logistic";

    private CompiledForest? _compiled;
    private TreeShap? _shap;

    public TrainedModel(
        string[] features, GbdtModel? gbdt, LogisticModel? logistic, ICalibrator calibrator,
        TrainingDescription training, DateTimeOffset createdAt, JsonObject metrics)
    {
        if ((gbdt is null) == (logistic is null))
        {
            throw new ArgumentException("exactly one of gbdt and logistic is required");
        }

        Features = features;
        Gbdt = gbdt;
        Logistic = logistic;
        Calibrator = calibrator;
        Training = training;
        CreatedAt = createdAt;
        Metrics = metrics;
    }

    public string Kind => Gbdt is not null ? GbdtKind : LogisticKind;

    public string[] Features { get; }

    public GbdtModel? Gbdt { get; }

    public LogisticModel? Logistic { get; }

    public ICalibrator Calibrator { get; }

    public TrainingDescription Training { get; }

    public DateTimeOffset CreatedAt { get; }

    public JsonObject Metrics { get; }

    public double RawScore(ReadOnlySpan<float> row) =>
        Gbdt is not null ? Compiled().RawScore(row) : Logistic!.RawScore(row);

    public double Probability(ReadOnlySpan<float> row) => Calibrator.Probability(RawScore(row));

    public double[] RawScores(float[][] columns, int threads)
    {
        if (Gbdt is not null)
        {
            return Compiled().RawScores(columns, threads);
        }

        var rows = columns.Length == 0 ? 0 : columns[0].Length;
        var scores = new double[rows];
        var row = new float[columns.Length];
        for (var i = 0; i < rows; i++)
        {
            for (var f = 0; f < columns.Length; f++)
            {
                row[f] = columns[f][i];
            }

            scores[i] = Logistic!.RawScore(row);
        }

        return scores;
    }

    public double[] Probabilities(float[][] columns, int threads)
    {
        var scores = RawScores(columns, threads);
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = Calibrator.Probability(scores[i]);
        }

        return scores;
    }

    /// <summary>Per-feature contributions to the raw score and the bias they add to (TreeSHAP for trees).</summary>
    public (double[] Contributions, double Bias) Explain(ReadOnlySpan<float> row)
    {
        if (Gbdt is not null)
        {
            _shap ??= new TreeShap(Gbdt);
            return (_shap.Contributions(row), _shap.ExpectedValue);
        }

        return (Logistic!.Contributions(row), Logistic.Bias);
    }

    private CompiledForest Compiled() => _compiled ??= new CompiledForest(Gbdt!);
}
