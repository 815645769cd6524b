using Predictor.Learning.Data;
using Predictor.Learning.Metrics;
using Predictor.Learning.Models;

namespace Predictor.Learning.Lifecycle;

/// <summary>A model's figures on one time slice of a host dataset (<c>host,time,&lt;features&gt;,label</c>).</summary>
/// <param name="ModelPath">The model file.</param>
/// <param name="Rows">Rows of the slice.</param>
/// <param name="Positives">Rows labelled 1.</param>
/// <param name="Point">Recall and false evacuations at the budget.</param>
/// <param name="RocAuc">Per-row ROC AUC (NaN with one class).</param>
/// <param name="PrAuc">Per-row PR AUC.</param>
/// <param name="Brier">Brier score.</param>
/// <param name="CalibrationError">Expected calibration error (10 bins).</param>
/// <param name="NonFinite">Rows (or a row with every feature missing) the model scored NaN or infinite.</param>
public sealed record SliceEvaluation(
    string ModelPath, int Rows, int Positives, OperatingPoint Point, double RocAuc, double PrAuc, double Brier, double CalibrationError, int NonFinite)
{
    /// <summary>The dataset columns that are not features.</summary>
    public static readonly string[] RoleColumns = ["host", "time", "label"];

    /// <summary>Scores the slice in <paramref name="csvPath"/> with the model in <paramref name="modelPath"/>.</summary>
    /// <param name="rowInterval">Time between a host's rows (host-days = rows × this).</param>
    /// <param name="budgetPer1000HostDays">False evacuations allowed per 1,000 host-days.</param>
    /// <exception cref="LearningInputException">The model cannot be read, or the slice lacks one of its features (named).</exception>
    public static SliceEvaluation Evaluate(string modelPath, string csvPath, TimeSpan rowInterval, double budgetPer1000HostDays, int threads = 0)
    {
        var model = ModelFileReader.Load(modelPath);
        var table = CsvTable.Load(csvPath, ["host", "time"]);
        // the slice may carry features this model does not use (a newer feature set): leave them out, never refuse
        var unused = table.Header.Where(c => !RoleColumns.Contains(c, StringComparer.Ordinal) && !model.Features.Contains(c, StringComparer.Ordinal)).ToList();
        var data = DataSetLoader.ForModel(table, model.Features, new DataSchema("label", "host", "time", unused));
        var labels = data.RequireLabels();
        var p = model.Probabilities(data.Columns, threads > 0 ? threads : Environment.ProcessorCount);
        var missingRow = Enumerable.Repeat(float.NaN, model.Features.Length).ToArray();
        var nonFinite = p.Count(v => !double.IsFinite(v)) + (double.IsFinite(model.Probability(missingRow)) ? 0 : 1);
        var hostDays = data.Rows * rowInterval.TotalDays;
        return new SliceEvaluation(
            Path.GetFullPath(modelPath), data.Rows, labels.Count(l => l > 0.5f),
            OperatingPoint.AtBudget(p, labels, data.Groups!, hostDays, budgetPer1000HostDays),
            BinaryMetrics.RocAuc(p, labels), BinaryMetrics.PrAuc(p, labels), BinaryMetrics.Brier(p, labels),
            Lifecycle.CalibrationError.Expected(p, labels), nonFinite);
    }
}

/// <summary>When a challenger may replace the champion.</summary>
/// <param name="BudgetPer1000HostDays">The operating point: false evacuations allowed per 1,000 host-days.</param>
/// <param name="MaxCalibrationError">A challenger whose expected calibration error on the slice exceeds this is refused.</param>
public sealed record PromotionRules(double BudgetPer1000HostDays = 5, double MaxCalibrationError = 0.05);

/// <summary>What a retrain run decided, and why.</summary>
/// <param name="Promote">The challenger replaces the champion.</param>
/// <param name="NoEvidence">The slice cannot tell the models apart (no failing or no healthy host in it).</param>
/// <param name="Reasons">Why, in words, one per line.</param>
public sealed record PromotionDecision(bool Promote, bool NoEvidence, IReadOnlyList<string> Reasons)
{
    /// <summary>
    /// Promote only when the challenger passes every sanity check (<paramref name="problems"/> from the caller, e.g. a
    /// feature set the daemon cannot serve; no NaN; calibration error within the bound) and is better at the operating
    /// point: more failing hosts caught at the budget, or as many with fewer false evacuations. A champion that cannot
    /// be evaluated (its features are not in the data) does not hold a sane challenger back.
    /// </summary>
    public static PromotionDecision Decide(SliceEvaluation challenger, SliceEvaluation? champion, string? championProblem, PromotionRules rules, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(challenger);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(problems);
        var reasons = new List<string>(problems);
        if (challenger.NonFinite > 0)
        {
            reasons.Add($"the challenger scored {challenger.NonFinite} rows NaN or infinite");
        }

        if (!(challenger.CalibrationError <= rules.MaxCalibrationError))
        {
            reasons.Add($"the challenger's calibration error {challenger.CalibrationError:0.0000} is above the bound {rules.MaxCalibrationError:0.0000}");
        }

        var c = challenger.Point;
        if (c.FailingHosts == 0 || c.HealthyHosts == 0)
        {
            reasons.Add($"the test slice has {c.FailingHosts} failing and {c.HealthyHosts} healthy hosts: no evidence to compare models on; widen the data or the test span");
            return new PromotionDecision(false, true, reasons);
        }

        // the comparison is said even when a sanity check already refuses the challenger: it tells how far off it is
        var sane = reasons.Count == 0;
        var at = $"at {rules.BudgetPer1000HostDays:0.##} false evacuations per 1,000 host-days";
        var mine = $"the challenger catches {c.Caught} of {c.FailingHosts} failing hosts ({c.Recall * 100:0}%) with {c.FalseEvacuations} false evacuations (threshold {c.Threshold:0.####})";
        if (champion is null)
        {
            reasons.Add($"{(championProblem is null ? "no champion" : "the champion cannot be evaluated: " + championProblem)}; {mine} {at}");
            return new PromotionDecision(sane, false, reasons);
        }

        var k = champion.Point;
        var theirs = $"the champion {k.Caught} ({k.Recall * 100:0}%) with {k.FalseEvacuations} (threshold {k.Threshold:0.####})";
        var better = c.Caught > k.Caught || (c.Caught == k.Caught && c.FalseEvacuations < k.FalseEvacuations);
        reasons.Add(better ? $"better {at}: {mine}; {theirs}" : $"not better {at}: {mine}; {theirs}");
        return new PromotionDecision(sane && better, false, reasons);
    }
}
