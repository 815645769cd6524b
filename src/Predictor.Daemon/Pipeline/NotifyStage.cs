using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Predictor.Core.Alerts;
using Predictor.Execution.Executor;

namespace Predictor.Daemon.Pipeline;

/// <summary>
/// Tells people what the pass learned: failed steps (an evacuation's pages, a maintenance step's warns), a rollout
/// stopped by a failing update, evacuations stuck past their time, VMs interrupted by a host failure, and a model that
/// could not be loaded (and its resolution once one loads).
/// </summary>
internal sealed class NotifyStage(
    QuarantineSet quarantine, EvacuationWatch evacuations, InterruptionWatch interruptions, IAlertPublisher alerts, ILogger logger)
{
    public async ValueTask RunAsync(PassContext pass, CancellationToken cancellationToken)
    {
        foreach (var alert in pass.ModelAlerts)
        {
            await alerts.PublishAsync(alert, cancellationToken).ConfigureAwait(false);
        }

        foreach (var outcome in pass.Finished.Where(s => !s.Succeeded))
        {
            await alerts.PublishAsync(StepFailed(outcome, pass.Now), cancellationToken).ConfigureAwait(false);
        }

        foreach (var (host, last) in pass.RolloutHalts)
        {
            Log.RolloutHalted(logger, host, Rollout.AttemptsBeforeHalt, last.Message);
            await alerts.PublishAsync(Alert.Raise(
                AlertConditions.RolloutHalted, host,
                $"The update of host {host} failed {Rollout.AttemptsBeforeHalt} times (last: {last.Message}); the rollout is stopped until an operator clears it. Evacuations of at-risk hosts go on.",
                pass.Now, ImmutableDictionary<string, string>.Empty.Add("step", last.StepId).Add("action", "rollout-halted")), cancellationToken).ConfigureAwait(false);
        }

        foreach (var alert in interruptions.Check(pass.Inventory, pass.Finished, pass.Now))
        {
            await alerts.PublishAsync(alert, cancellationToken).ConfigureAwait(false);
        }

        foreach (var alert in evacuations.Check(pass.Inventory, quarantine.Snapshot(), pass.Now))
        {
            await alerts.PublishAsync(alert, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A failed move off a quarantined host is a failed evacuation (it pages); any other failed step warns.</summary>
    private Alert StepFailed(ExecutionOutcome outcome, DateTimeOffset now)
    {
        var evacuation = outcome.From is { } from && quarantine.Contains(from);
        var condition = evacuation ? AlertConditions.EvacuationFailed : AlertConditions.MaintenanceStepFailed;
        return Alert.Raise(
            condition, outcome.From,
            $"{outcome.Kind} of {outcome.Target} from {outcome.From} failed: {outcome.Message}{(evacuation ? "; it will be planned again on the next pass" : "")}",
            now, ImmutableDictionary<string, string>.Empty.Add("step", outcome.StepId).Add("action", outcome.Kind.ToString()));
    }
}
