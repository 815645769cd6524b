using System.Collections.Immutable;

namespace Predictor.Core.Risk;

/// <summary>One piece of evidence behind a risk assessment, in words an operator reads.</summary>
/// <param name="Signal">The signal or feature, e.g. <c>smart_5_raw</c>.</param>
/// <param name="Component">Disk, DIMM, fan… when the evidence is about one; else null.</param>
/// <param name="Value">The observed value.</param>
/// <param name="Description">For example "reallocated sectors rose from 0 to 48 in 3 days".</param>
/// <param name="Weight">Contribution to the score (for models, the feature contribution); rules use 1.</param>
public sealed record Evidence(string Signal, string? Component, double Value, string Description, double Weight = 1.0);

/// <summary>An assessor's view of one host at one moment.</summary>
/// <param name="Host">Host id.</param>
/// <param name="AssessedAt">When the assessment was made (the injected clock).</param>
/// <param name="Probability">Probability that the host fails within <paramref name="Horizon"/>.</param>
/// <param name="Horizon">The window the probability is about.</param>
/// <param name="PredictedFailureAt">Best estimate of the failure time, when the assessor has one.</param>
/// <param name="Evidence">What drove the assessment, strongest first.</param>
/// <param name="Assessor">Which assessor (rules, a model file name and version).</param>
public sealed record RiskAssessment(
    string Host,
    DateTimeOffset AssessedAt,
    double Probability,
    TimeSpan Horizon,
    DateTimeOffset? PredictedFailureAt,
    ImmutableArray<Evidence> Evidence,
    string Assessor)
{
    /// <summary>Lead time the assessment leaves before the predicted failure, when known.</summary>
    public TimeSpan? LeadTime => PredictedFailureAt - AssessedAt;
}

/// <summary>Scores hosts from their current features.</summary>
public interface IRiskAssessor
{
    /// <summary>Name shown in logs, alerts and the run summary.</summary>
    string Name { get; }

    /// <summary>Assesses each host whose features are fresh; stale hosts are never assessed.</summary>
    IReadOnlyList<RiskAssessment> Assess(IReadOnlyList<HostFeatures> hosts, DateTimeOffset now);
}
