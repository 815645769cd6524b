using System.Text.Json.Nodes;
using Predictor.Learning.Data;
using Predictor.Learning.Metrics;
using Predictor.Learning.Models;

namespace Predictor.Learning.Workflows;

/// <summary>Held-out metrics as written in model files and reports.</summary>
internal static class Evaluation
{
    /// <summary>Units flagged at this false-alarm rate are also reported (operators budget false alarms).</summary>
    public const double FalseAlarmBudget = 0.01;

    public static JsonObject Evaluate(TrainedModel model, DataSet test, string description, int threads)
    {
        var labels = test.RequireLabels();
        var p = model.Probabilities(test.Columns, threads);
        var (precision, recall, f1) = BinaryMetrics.AtThreshold(p, labels, 0.5);
        var result = new JsonObject
        {
            ["evaluation"] = description,
            ["rows"] = test.Rows,
            ["positives"] = labels.Count(l => l > 0.5f),
            ["rocAuc"] = Number(BinaryMetrics.RocAuc(p, labels)),
            ["prAuc"] = Number(BinaryMetrics.PrAuc(p, labels)),
            ["logLoss"] = Number(BinaryMetrics.LogLoss(p, labels)),
            ["brier"] = Number(BinaryMetrics.Brier(p, labels)),
            ["atThreshold"] = new JsonObject
            {
                ["threshold"] = 0.5, ["precision"] = Number(precision), ["recall"] = Number(recall), ["f1"] = Number(f1),
            },
        };

        var groups = test.Groups ?? Enumerable.Range(0, test.Rows).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var points = new JsonArray();
        foreach (var threshold in new[] { 0.5, ThresholdForFalseAlarms(p, labels, groups, FalseAlarmBudget) })
        {
            var point = UnitMetrics.At(threshold, p, labels, groups, test.Times);
            points.Add(new JsonObject
            {
                ["threshold"] = Number(threshold),
                ["units"] = point.Units,
                ["failedUnits"] = point.FailedUnits,
                ["detectionRate"] = Number(point.DetectionRate),
                ["falseAlarmRate"] = Number(point.FalseAlarmRate),
                ["medianLeadTimeHours"] = point.MedianLeadTimeHours is { } h ? Number(h) : null,
            });
        }

        result["perUnit"] = points;
        return result;
    }

    /// <summary>The lowest threshold at which at most <paramref name="budget"/> of the healthy units are flagged.</summary>
    public static double ThresholdForFalseAlarms(double[] p, float[] labels, string[] groups, double budget)
    {
        var maxByUnit = new Dictionary<string, (double Max, bool Failed)>(StringComparer.Ordinal);
        for (var i = 0; i < p.Length; i++)
        {
            var current = maxByUnit.TryGetValue(groups[i], out var c) ? c : (Max: double.NegativeInfinity, Failed: false);
            maxByUnit[groups[i]] = (Math.Max(current.Max, p[i]), current.Failed || labels[i] > 0.5f);
        }

        var healthy = maxByUnit.Values.Where(u => !u.Failed).Select(u => u.Max).OrderByDescending(v => v).ToArray();
        var allowed = (int)Math.Floor(budget * healthy.Length);
        return allowed < healthy.Length ? Math.BitIncrement(healthy[allowed]) : 0;
    }

    /// <summary>A JSON number, rounded for reading; null for NaN (JSON has no NaN).</summary>
    public static JsonNode? Number(double value) => double.IsNaN(value) || double.IsInfinity(value) ? null : JsonValue.Create(Math.Round(value, 6));
}
