using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Predictor.Learning.Lifecycle;

/// <summary>The data a challenger was trained and judged on.</summary>
/// <param name="Source">Where the rows came from: the outcome log's file, or the InfluxDB address and database.</param>
/// <param name="From">The first row's time.</param>
/// <param name="To">The last row's time.</param>
/// <param name="TestFrom">Rows after this are the test slice (never trained on); training rows end one horizon before it.</param>
/// <param name="HorizonHours">A row is positive when its host fails within this many hours.</param>
/// <param name="RowIntervalHours">Time between a host's rows.</param>
/// <param name="TrainRows">Training rows.</param>
/// <param name="TrainPositives">Positive training rows.</param>
/// <param name="TestRows">Test rows.</param>
/// <param name="TestPositives">Positive test rows.</param>
/// <param name="Censored">Rows left out because their outcome is unknown (past the observed end, under mitigation, decommissioned).</param>
/// <param name="OutOfService">Rows left out because the host was down or gone.</param>
/// <param name="Gap">Rows left out between the training rows and the test slice (their horizon reaches into it).</param>
public sealed record DatasetSpan(
    string Source, DateTimeOffset From, DateTimeOffset To, DateTimeOffset TestFrom, double HorizonHours, double RowIntervalHours,
    int TrainRows, int TrainPositives, int TestRows, int TestPositives, int Censored, int OutOfService, int Gap);

/// <summary>Where a registry version came from and what was decided about it: written as <c>lineage.json</c> and rendered as <c>card.md</c>.</summary>
/// <param name="Version">The version id (null for a dry run).</param>
/// <param name="Parent">The champion it was compared with (a version id, or a model file's path), null when there was none.</param>
/// <param name="CreatedAt">When the run ended.</param>
/// <param name="Dataset">The data.</param>
/// <param name="Seed">The training seed.</param>
/// <param name="Features">The challenger's features, in order.</param>
/// <param name="Options">The training options.</param>
/// <param name="Challenger">The challenger on the test slice.</param>
/// <param name="Champion">The champion on the same slice, null when there is none or it cannot be evaluated.</param>
/// <param name="ChampionProblem">Why the champion could not be evaluated.</param>
/// <param name="Rules">The operating point and sanity bounds.</param>
/// <param name="Decision">Promoted or not, and why.</param>
public sealed record Lineage(
    string? Version, string? Parent, DateTimeOffset CreatedAt, DatasetSpan Dataset, int Seed, IReadOnlyList<string> Features,
    System.Text.Json.Nodes.JsonObject Options, SliceEvaluation Challenger, SliceEvaluation? Champion, string? ChampionProblem,
    PromotionRules Rules, PromotionDecision Decision)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, s_json) + "\n";

    public static Lineage FromJson(string json) => JsonSerializer.Deserialize<Lineage>(json, s_json) ?? throw new LearningInputException("lineage.json is empty");

    /// <summary>The model card: what the model predicts, from what data, how it compared with the champion, and the decision.</summary>
    public string ToMarkdown()
    {
        var s = new StringBuilder();
        var d = Dataset;
        void Line(string text) => s.Append(text).Append('\n');
        string Pct(double v) => double.IsNaN(v) ? "n/a" : (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
        string Num(double v, string format = "0.000") => double.IsNaN(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);
        string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);

        Line($"# Model card: {Version ?? "dry run"}");
        Line("");
        Line(Decision.Promote ? "**Promoted**: the daemon switches to it at its next pass." : "**Not promoted**: the champion stays.");
        foreach (var reason in Decision.Reasons)
        {
            Line($"- {reason}");
        }

        Line("");
        Line($"**What it predicts**: the probability that a host fails within {Num(d.HorizonHours, "0.#")} hours, from {Features.Count} host features " +
             "computed by the daemon's own window and detector code.");
        Line("");
        Line($"**Lineage**: parent {(Parent is null ? "none" : $"`{Parent}`")}; trained {Time(CreatedAt)}; seed {Seed}; learner {Options["learner"]?.ToString() ?? "gbdt"}.");
        Line("");
        Line($"**Data**: {d.Source}, rows from {Time(d.From)} to {Time(d.To)}, one per host every {Num(d.RowIntervalHours, "0.##")} h.");
        Line($"Training: {d.TrainRows} rows ({d.TrainPositives} positive) before {Time(d.TestFrom - TimeSpan.FromHours(d.HorizonHours))}; " +
             $"test slice (never trained on): {d.TestRows} rows ({d.TestPositives} positive) after {Time(d.TestFrom)}. " +
             $"Left out: {d.Censored} censored rows (outcome unknown: past the observed end, under mitigation or decommissioned), " +
             $"{d.OutOfService} rows of hosts down or gone, {d.Gap} rows between the slices.");
        Line("");
        Line($"**On the test slice** at the operating point of {Num(Rules.BudgetPer1000HostDays, "0.##")} false evacuations per 1,000 host-days " +
             $"(calibration error bound {Num(Rules.MaxCalibrationError, "0.###")}):");
        Line("");
        Line("| model | failing hosts caught | false evacuations (per 1,000 host-days) | threshold | ROC AUC | PR AUC | Brier | calibration error |");
        Line("|---|---|---|---|---|---|---|---|");
        void Row(string name, SliceEvaluation e) =>
            Line($"| {name} | {e.Point.Caught} of {e.Point.FailingHosts} ({Pct(e.Point.Recall)}) | {e.Point.FalseEvacuations} ({Num(e.Point.FalseEvacuationsPer1000HostDays, "0.##")}) | " +
                 $"{Num(e.Point.Threshold, "0.####")} | {Num(e.RocAuc)} | {Num(e.PrAuc)} | {Num(e.Brier, "0.0000")} | {Num(e.CalibrationError, "0.0000")} |");
        Row("challenger", Challenger);
        if (Champion is not null)
        {
            Row("champion", Champion);
        }
        else
        {
            Line($"| champion | {ChampionProblem ?? "none"} | | | | | | |");
        }

        Line("");
        Line($"**Features**: {string.Join(", ", Features.Select(f => $"`{f}`"))}.");
        Line("");
        Line("The threshold is the one at which each model meets the budget on this slice; the daemon quarantines at " +
             "`Risk:ModelRiskThreshold`.");
        return s.ToString();
    }
}
