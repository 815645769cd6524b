using Microsoft.Extensions.Logging;
using Predictor.Core.Risk;
using Predictor.Daemon.Models;
using Predictor.Learning.TimeSeries.Streaming;

namespace Predictor.Daemon.Pipeline;

/// <summary>
/// Assesses every fresh host; the hosts at or above the assessor's threshold that are not quarantined yet are the
/// pass's newly at risk, and their explanations gain what the streaming detectors saw.
/// </summary>
internal sealed class AssessStage(ActiveRiskModel model, HostSignalDetectors? detectors, QuarantineSet quarantine, RiskHistory history, PipelineOptions options, RiskOptions risk, ILogger logger)
{
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);

    /// <summary>The quarantine threshold of the assessor serving now: the rules' or a model's (see <see cref="RiskOptions"/>).</summary>
    public double Threshold => model.Threshold(options, risk);

    public void Run(PassContext pass)
    {
        pass.Assessments = [.. model.Assess(pass.Fresh, pass.Now).Select(a => WithDetectorEvidence(a, pass.Now))];
        var threshold = Threshold;
        pass.NewlyAtRisk = [.. pass.Assessments.Where(a => a.Probability >= threshold && !quarantine.Contains(a.Host) && !Held(a))];
        history.Record(pass.Assessments, pass.Now, threshold);
    }

    /// <summary>A released host within its hold, its odds of failure not tenfold those it was released at: said once per release.</summary>
    private bool Held(RiskAssessment assessment)
    {
        if (!quarantine.Holds(assessment))
        {
            _held.Remove(assessment.Host);
            return false;
        }

        if (_held.Add(assessment.Host) && quarantine.Released().TryGetValue(assessment.Host, out var release))
        {
            Log.ReleasedHostHeld(logger, assessment.Host, assessment.Probability, release.Probability, release.Reason, release.Until);
        }

        return true;
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
