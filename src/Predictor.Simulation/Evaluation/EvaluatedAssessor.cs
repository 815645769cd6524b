namespace Predictor.Simulation.Evaluation;

/// <summary>
/// An assessor a fleet evaluation compares, as the configuration overrides that make the daemon use it (applied after
/// the evaluation's own, so they win).
/// </summary>
/// <param name="Name">How reports name it.</param>
/// <param name="Description">What it is, for the report.</param>
/// <param name="Overrides">Configuration overrides in command-line form.</param>
public sealed record EvaluatedAssessor(string Name, string Description, IReadOnlyList<string> Overrides)
{
    /// <summary>No prediction: nothing is evacuated before it fails (the rules with a threshold no rule reaches).</summary>
    public static EvaluatedAssessor None { get; } = new("none", "no prediction: hosts fail with their VMs on them (only the rollout moves VMs)",
        ["--Risk:ModelPath=", "--Pipeline:RiskThreshold=1"]);

    /// <summary>
    /// The rule-based baseline, with the blast-radius guard off: with the guard on, the rules flag so many hosts on the
    /// first pass that the guard stops all automation, and they would evacuate nothing at all.
    /// </summary>
    public static EvaluatedAssessor Rules { get; } = new("rules", "the rule-based baseline (blast-radius guard off, else it stops automation on the first pass)",
        ["--Risk:ModelPath=", "--Pipeline:BlastRadiusMaxShare=1"]);

    /// <summary>The daemon's default: the shipped host model at its default threshold (or what the evaluation's overrides choose).</summary>
    public static EvaluatedAssessor Model { get; } = new("model", "the configured model (default: the shipped host model) at Risk:ModelRiskThreshold", []);

    /// <summary>The assessors by name.</summary>
    public static IReadOnlyList<EvaluatedAssessor> Known { get; } = [None, Rules, Model];

    /// <summary>Parses a comma-separated list of known names; null with the reason in <paramref name="error"/> otherwise.</summary>
    public static IReadOnlyList<EvaluatedAssessor>? ParseList(string? text, out string error)
    {
        error = "";
        var result = new List<EvaluatedAssessor>();
        foreach (var name in (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var known = Known.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                error = $"unknown assessor '{name}' (expected a comma-separated list of {string.Join(", ", Known.Select(k => k.Name))})";
                return null;
            }

            if (!result.Contains(known))
            {
                result.Add(known);
            }
        }

        if (result.Count == 0)
        {
            error = $"no assessor given (expected a comma-separated list of {string.Join(", ", Known.Select(k => k.Name))})";
            return null;
        }

        return result;
    }
}
