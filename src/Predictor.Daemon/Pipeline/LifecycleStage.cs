using Microsoft.Extensions.Logging;
using Predictor.Core.Inventory;
using Predictor.Core.Risk;
using Predictor.Daemon.State;

namespace Predictor.Daemon.Pipeline;

/// <summary>
/// How quarantined hosts leave the quarantine without an operator's release: a host the inventory now says is
/// decommissioned is decommissioned (it never takes a VM again), and a host whose repair was recorded is released after
/// <see cref="PipelineOptions.CleanAssessmentsToRelease"/> clean assessments in a row since (an assessment at or above
/// the threshold starts the count again).
/// </summary>
internal sealed class LifecycleStage(QuarantineSet quarantine, PipelineOptions options, Func<string, string, RiskAssessment?> release, ILogger logger)
{
    public void Run(PassContext pass, double threshold)
    {
        foreach (var host in quarantine.Snapshot().Keys)
        {
            if (pass.Inventory.TryGetHost(host, out var found) && found.State == HostState.Decommissioned)
            {
                quarantine.Decommission(new Decommission(host, pass.Now, "decommissioned in the inventory", "inventory"));
                Log.HostDecommissioned(logger, host, "decommissioned in the inventory", "inventory");
            }
        }

        var repairs = quarantine.Repairs();
        if (repairs.Count == 0)
        {
            return;
        }

        foreach (var assessment in pass.Assessments.Where(a => repairs.TryGetValue(a.Host, out var r) && a.AssessedAt >= r.At))
        {
            var before = repairs[assessment.Host];
            var clean = assessment.Probability < threshold;
            if (quarantine.CountAssessment(assessment.Host, clean) is not { } counted)
            {
                continue;
            }

            if (!clean && before.CleanAssessments > 0)
            {
                Log.RepairCountReset(logger, assessment.Host, assessment.Probability, threshold, before.CleanAssessments);
            }

            if (counted.CleanAssessments >= options.CleanAssessmentsToRelease)
            {
                var reason = $"repaired ({counted.Reason}, recorded by {counted.By} at {counted.At:u}) and {counted.CleanAssessments} clean assessments since";
                if (release(assessment.Host, reason) is not null)
                {
                    Log.ReleasedAfterRepair(logger, assessment.Host, counted.CleanAssessments, assessment.Probability, counted.Reason);
                }
            }
        }
    }
}
