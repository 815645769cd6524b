using Predictor.Core.Risk;
using Predictor.Learning.Rules;
using Predictor.Learning.TimeSeries.Streaming;

namespace Predictor.Daemon.Pipeline;

/// <summary>
/// Assesses every fresh host; the hosts at or above the assessor's threshold that are not quarantined yet are the
/// pass's newly at risk, and their explanations gain what the streaming detectors saw.
/// </summary>
internal sealed class AssessStage(IRiskAssessor assessor, HostSignalDetectors? detectors, QuarantineSet quarantine, PipelineOptions options, RiskOptions risk)
{
    /// <summary>The quarantine threshold of the assessor in use: the rules' or the model's (see <see cref="RiskOptions"/>).</summary>
    public double Threshold { get; } = assessor is RuleBasedRiskAssessor ? options.RiskThreshold : risk.ModelRiskThreshold;

    public void Run(PassContext pass)
    {
        pass.Assessments = [.. assessor.Assess(pass.Fresh, pass.Now).Select(a => WithDetectorEvidence(a, pass.Now))];
        pass.NewlyAtRisk = [.. pass.Assessments.Where(a => a.Probability >= Threshold && !quarantine.Contains(a.Host))];
    }

    /// <summary>Names what the detectors saw (an ECC storm, a change point in a fan's speed) in a host's explanation.</summary>
    private RiskAssessment WithDetectorEvidence(RiskAssessment assessment, DateTimeOffset now)
    {
        if (detectors is null || assessment.Probability < Threshold)
        {
            return assessment;
        }

        var seen = detectors.GetEvidence(assessment.Host, now);
        return seen.Count == 0 ? assessment : assessment with { Evidence = assessment.Evidence.AddRange(seen) };
    }
}
