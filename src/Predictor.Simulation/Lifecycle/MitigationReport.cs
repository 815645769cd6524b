using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Predictor.Simulation.Lifecycle;

/// <summary>The mitigation experiment's generations, per label policy side by side, as Markdown and JSON.</summary>
public static class MitigationReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void WriteMarkdown(MitigationExperimentOptions options, IReadOnlyList<GenerationResult> results, string command, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(string.Create(C,
            $"# Retraining with mitigation on: {options.Generations} generations, {options.Hosts} hosts × {options.Days:0.##} days per fleet, {options.FailuresPerHostYear:0.#} failures per host-year, threshold {options.Threshold}"));
        output.WriteLine();
        output.WriteLine("```");
        output.WriteLine(command);
        output.WriteLine("```");
        output.WriteLine();
        output.WriteLine("Generation g's models are trained on fleet first-seed + g, where generation g − 1's models evacuated what they flagged; each row shows the positive rows the model was trained on (in brackets those of hosts the previous model evacuated), its per-row ROC AUC on the held-out fleet (true labels: nothing mitigated there) and what it did deployed on the next fleet. Naive labels call every evacuated host healthy; repair-diagnosis labels take the repair's finding (a failing part found, with errors both ways).");
        output.WriteLine();
        output.WriteLine("| generation | naive: training positives | naive: held-out ROC AUC | naive: false evacuations per 1,000 host-days | naive: failures caught ahead | repair diagnosis: training positives | repair diagnosis: held-out ROC AUC | repair diagnosis: false evacuations per 1,000 host-days | repair diagnosis: failures caught ahead |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var generation in results.GroupBy(r => r.Generation).OrderBy(g => g.Key))
        {
            var naive = generation.Single(r => r.Policy == LabelPolicy.Naive);
            var aware = generation.Single(r => r.Policy == LabelPolicy.RepairDiagnosis);
            output.WriteLine(string.Create(C, $"| {generation.Key} | {naive.TrainingPositives} ({naive.TrainingPositivesOfEvacuatedHosts}) | {Auc(naive)} | {naive.FalseEvacuationsPer1000HostDays:0.0} ({naive.FalseEvacuations}) | {Caught(naive)} | {aware.TrainingPositives} ({aware.TrainingPositivesOfEvacuatedHosts}) | {Auc(aware)} | {aware.FalseEvacuationsPer1000HostDays:0.0} ({aware.FalseEvacuations}) | {Caught(aware)} |"));
        }
    }

    public static void WriteJson(MitigationExperimentOptions options, IReadOnlyList<GenerationResult> results, string command, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(output);
        var root = new JsonObject
        {
            ["command"] = command,
            ["generations"] = options.Generations,
            ["hosts"] = options.Hosts,
            ["days"] = options.Days,
            ["failuresPerHostYear"] = options.FailuresPerHostYear,
            ["threshold"] = options.Threshold,
            ["diagnosisSensitivity"] = options.DiagnosisSensitivity,
            ["falseDiagnosisRate"] = options.FalseDiagnosisRate,
            ["results"] = new JsonArray([.. results.Select(r => (JsonNode)new JsonObject
            {
                ["generation"] = r.Generation,
                ["policy"] = r.Policy == LabelPolicy.Naive ? "naive" : "repair-diagnosis",
                ["heldOutRocAuc"] = r.HeldOutRocAuc is { } auc ? Math.Round(auc, 6) : null,
                ["trainingPositives"] = r.TrainingPositives,
                ["trainingPositivesOfEvacuatedHosts"] = r.TrainingPositivesOfEvacuatedHosts,
                ["deployedOnSeed"] = r.DeployedOnSeed,
                ["failures"] = r.Failures,
                ["failuresWithoutWarning"] = r.FailuresWithoutWarning,
                ["failuresCaught"] = r.FailuresCaught,
                ["falseEvacuations"] = r.FalseEvacuations,
                ["falseEvacuationsPer1000HostDays"] = Math.Round(r.FalseEvacuationsPer1000HostDays, 6),
            })]),
        };
        output.WriteLine(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static string Auc(GenerationResult r) => r.HeldOutRocAuc is { } auc ? auc.ToString("0.000", C) : "—";

    private static string Caught(GenerationResult r) => string.Create(C, $"{r.FailuresCaught} of {r.Failures} ({r.FailuresWithoutWarning} without warning)");
}
