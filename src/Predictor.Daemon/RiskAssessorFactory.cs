using Predictor.Core.Configuration;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Predictor.Core.Alerts;
using Predictor.Core.Risk;
using Predictor.Learning;
using Predictor.Learning.Assessment;
using Predictor.Learning.Rules;

namespace Predictor.Daemon;

/// <summary>Which risk assessor the daemon uses. Bound from configuration section "Risk".</summary>
[OptionsSection(SectionName)]
public sealed class RiskOptions
{
    public const string SectionName = "Risk";

    /// <summary>
    /// Model file (predictor-model JSON over host features: <see cref="FeatureNames"/> and the streaming detectors'); empty for the rule-based baseline. A relative
    /// path is looked up in the working directory, then beside the executable (where the shipped model is).
    /// </summary>
    /// <value>The default value is "models/host-failure.json", the shipped host-failure model.</value>
    public string? ModelPath { get; set; } = "models/host-failure.json";

    /// <summary>
    /// Model registry directory that <c>predictor retrain</c> writes. When set, the daemon serves the registry's promoted
    /// version (<see cref="ModelPath"/> until one is promoted) and switches without a restart when the promotion changes.
    /// </summary>
    /// <value>The default value is null: no registry; the daemon still reloads <see cref="ModelPath"/> when the file changes.</value>
    public string? RegistryPath { get; set; }

    /// <summary>
    /// Probability at which a model's assessment quarantines a host. Models have their own threshold because their
    /// calibrated probabilities and the rules' fixed ones do not mean the same; the rules use <c>Pipeline:RiskThreshold</c>.
    /// The default is the shipped host model's operating point: the lowest of 0.9, 0.99, 0.997 and 0.999 at which it
    /// evacuated at most 5 healthy hosts per 1,000 host-days on its validation fleets (seeds 3101–3102; see its card).
    /// </summary>
    /// <value>The default value is 0.999.</value>
    [InRange(0.0, 1.0)]
    public double ModelRiskThreshold { get; set; } = 0.999;
}

/// <summary>The assessor the daemon uses, and the alert to raise when the configured model could not be loaded.</summary>
public sealed record RiskAssessorChoice(IRiskAssessor Assessor, Alert? LoadFailure);

/// <summary>
/// Chooses the assessor: the configured model when it loads, else the rules. A model that fails to load never stops the
/// daemon: the failure is logged, and the returned <see cref="RiskAssessorChoice.LoadFailure"/> is raised as a
/// <see cref="AlertConditions.ModelLoadFailed"/> alert by the first pass, which awaits its delivery like any other alert.
/// </summary>
public static class RiskAssessorFactory
{
    /// <param name="options">Which model, if any.</param>
    /// <param name="rules">The rules' options, for the baseline and the fallback.</param>
    /// <param name="time">Daemon time, for the load-failure alert.</param>
    /// <param name="logger">Where the load and its failure are logged.</param>
    /// <param name="computed">
    /// The features the daemon computes (<see cref="Features.HostFeatureComputer.Names"/>); a model using any other fails to load.
    /// Null means the window features only.
    /// </param>
    public static RiskAssessorChoice Create(RiskOptions options, RuleAssessorOptions rules, TimeProvider time, ILogger logger, IReadOnlyCollection<string>? computed = null)
    {
        if (string.IsNullOrWhiteSpace(options.ModelPath))
        {
            return new(new RuleBasedRiskAssessor(rules), null);
        }

        try
        {
            var model = ModelRiskAssessor.Load(Resolve(options.ModelPath), computed);
            Log.ModelLoaded(logger, options.ModelPath, model.Name);
            return new(model, null);
        }
        catch (Exception e) when (e is LearningInputException or IOException or UnauthorizedAccessException)
        {
            Log.ModelLoadFailed(logger, options.ModelPath, e.Message);
            return new(new RuleBasedRiskAssessor(rules), Alert.Raise(
                AlertConditions.ModelLoadFailed, null,
                $"Model '{options.ModelPath}' could not be loaded; hosts are assessed by the rule-based baseline: {e.Message}",
                time.GetUtcNow(), ImmutableDictionary<string, string>.Empty.Add("model", options.ModelPath).Add("error", e.Message)));
        }
    }

    /// <summary>A relative model path: the working directory first, then beside the executable.</summary>
    internal static string Resolve(string path)
    {
        if (Path.IsPathRooted(path) || File.Exists(path))
        {
            return path;
        }

        var shipped = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(shipped) ? shipped : path;
    }
}
