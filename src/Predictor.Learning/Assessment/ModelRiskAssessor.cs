using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Predictor.Core.Risk;
using Predictor.Learning.Models;

namespace Predictor.Learning.Assessment;

/// <summary>
/// Scores hosts with a model file whose features are host features (<see cref="FeatureNames"/>, and those of the streaming
/// detectors when the caller computes them; a missing feature is NaN,
/// which the trees route by their learned default direction). Each assessment carries the strongest
/// TreeSHAP contributions as evidence, e.g. "smart_5_raw.max = 48 raised risk by 1.9" (log-odds units).
/// It assesses every host it is given: leaving out stale hosts (<see cref="HostFeatures.IsStale"/>) is the
/// caller's job, as the <see cref="IRiskAssessor"/> contract says. Thread-safe for concurrent <see cref="Assess"/> calls.
/// </summary>
public sealed class ModelRiskAssessor : IRiskAssessor
{
    private readonly TrainedModel _model;
    private readonly int _evidence;
    private readonly Lock _gate = new();

    private ModelRiskAssessor(TrainedModel model, string name, int evidence, ModelCard card)
    {
        _model = model;
        Name = name;
        _evidence = evidence;
        Horizon = TimeSpan.FromHours(model.Training.HorizonHours);
        Card = card;
    }

    /// <summary>What the model is: its file and digest, kind, features, training data and held-out metrics.</summary>
    public ModelCard Card { get; }

    public string Name { get; }

    /// <summary>The window the model's probability is about (the model file's <c>training.horizonHours</c>).</summary>
    public TimeSpan Horizon { get; }

    /// <summary>
    /// Loads and validates <paramref name="modelPath"/>. Throws <see cref="LearningInputException"/> naming the
    /// problem when the file is missing, is not a valid model file, or uses features the caller does not compute,
    /// so the caller can fall back to the rule-based assessor.
    /// </summary>
    /// <param name="modelPath">The model file.</param>
    /// <param name="computed">
    /// The features the caller computes for every host (the daemon: its window features and its streaming detectors');
    /// a model may use any of them, in its own order. Null means the window features, <see cref="FeatureNames.All"/>.
    /// </param>
    /// <param name="evidence">How many contributions to report per host (strongest first).</param>
    public static ModelRiskAssessor Load(string modelPath, IReadOnlyCollection<string>? computed = null, int evidence = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(evidence, 1);
        var model = ModelFileReader.Load(modelPath);
        var known = computed ?? FeatureNames.All;
        var unknown = model.Features.Where(f => !known.Contains(f)).ToList();
        if (unknown.Count > 0)
        {
            var novelty = unknown.Any(u => u.EndsWith(".novelty_score", StringComparison.Ordinal) || u.EndsWith(".novelty_alerts", StringComparison.Ordinal))
                ? " (the novelty detector's features need Detectors:NoveltyHistory above 0)"
                : "";
            throw new LearningInputException(
                $"{modelPath}: the model uses {unknown.Count} feature(s) that are not computed for hosts: " +
                $"{string.Join(", ", unknown.Take(10).Select(u => $"'{u}'"))}{(unknown.Count > 10 ? $" and {unknown.Count - 10} more" : "")}{novelty}; " +
                $"{known.Count} host features are computed (README, \"Signals and features\"), e.g. {string.Join(", ", known.Take(3))}");
        }

        var name = string.Create(CultureInfo.InvariantCulture,
            $"model {Path.GetFileName(modelPath)} ({model.Kind}, trained {model.CreatedAt:yyyy-MM-dd})");
        var t = model.Training;
        var card = new ModelCard(
            Path.GetFullPath(modelPath), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(modelPath))), model.Kind, model.CreatedAt,
            model.Features, t.Source, t.Rows, t.Positives, t.HorizonHours, (JsonObject)model.Metrics.DeepClone());
        return new ModelRiskAssessor(model, name, evidence, card);
    }

    /// <summary>Assessments with at least this probability carry evidence (TreeSHAP contributions); lower ones carry none.</summary>
    /// <value>The default value is 0.5.</value>
    public double ExplainFrom { get; init; } = 0.5;

    public IReadOnlyList<RiskAssessment> Assess(IReadOnlyList<HostFeatures> hosts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var features = _model.Features;
        var row = new float[features.Length];
        var result = new List<RiskAssessment>(hosts.Count);
        foreach (var host in hosts)
        {
            for (var f = 0; f < features.Length; f++)
            {
                row[f] = (float)host.Get(features[f]);
            }

            double raw, probability;
            double[]? contributions = null;
            lock (_gate)
            {
                raw = _model.RawScore(row);
                probability = _model.Calibrator.Probability(raw);
                if (probability >= ExplainFrom)
                {
                    // TreeSHAP costs far more than scoring: explain only the hosts someone may act on
                    contributions = _model.Explain(row).Contributions;
                }
            }

            result.Add(new RiskAssessment(host.Host, now, probability, Horizon, null, contributions is null ? [] : Evidence(row, contributions), Name));
        }

        return result;
    }

    private ImmutableArray<Evidence> Evidence(float[] row, double[] contributions)
    {
        var order = Enumerable.Range(0, contributions.Length)
            .Where(f => Math.Abs(contributions[f]) >= 0.005)
            .OrderByDescending(f => Math.Abs(contributions[f]))
            .ThenBy(f => f)
            .Take(_evidence);
        var builder = ImmutableArray.CreateBuilder<Evidence>();
        foreach (var f in order)
        {
            var name = _model.Features[f];
            var value = row[f];
            var shown = float.IsNaN(value) ? "missing" : value.ToString("G4", CultureInfo.InvariantCulture);
            var direction = contributions[f] > 0 ? "raised" : "lowered";
            var description = string.Create(CultureInfo.InvariantCulture,
                $"{name} = {shown} {direction} risk by {Math.Abs(contributions[f]):0.0##}");
            builder.Add(new Evidence(name, null, value, description, contributions[f]));
        }

        return builder.ToImmutable();
    }
}

/// <summary>
/// A model's card: the file it was loaded from and its SHA-256 (its version), the learner, when it was trained, its
/// features, its training data (source, rows, positives, the horizon its probability speaks of) and the metrics the
/// model file records (held-out AUC, Brier score, detection and false-alarm rates per unit).
/// </summary>
public sealed record ModelCard(
    string Path, string Sha256, string Kind, DateTimeOffset CreatedAt, IReadOnlyList<string> Features,
    string TrainingSource, int TrainingRows, int TrainingPositives, double HorizonHours, JsonObject Metrics);
