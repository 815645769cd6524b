using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Predictor.Core.Alerts;
using Predictor.Core.Risk;
using Predictor.Daemon.Automation;

namespace Predictor.Daemon.Pipeline;

/// <summary>
/// Quarantines the hosts newly at risk (no new placements; they will be evacuated), says so, and asks automation control
/// whether this pass may act: while paused, killed or stopped by the blast-radius guard the pass plans nothing.
/// </summary>
internal sealed class QuarantineStage(
    QuarantineSet quarantine, Rollout rollout, AutomationControl? automation, IReadOnlyList<IPassObserver> observers, IAlertPublisher alerts, ILogger logger)
{
    public async ValueTask RunAsync(PassContext pass, CancellationToken cancellationToken)
    {
        foreach (var risk in pass.NewlyAtRisk)
        {
            await QuarantineAsync(risk, pass, cancellationToken).ConfigureAwait(false);
        }

        pass.AutomationStopped = automation is not null
            && await automation.EvaluatePassAsync(pass.NewlyAtRisk, pass.Inventory, pass.Now, cancellationToken).ConfigureAwait(false);
        pass.Inventory = pass.Inventory.WithHostStates(quarantine.StatesOver(pass.Inventory));
    }

    private async Task QuarantineAsync(RiskAssessment risk, PassContext pass, CancellationToken cancellationToken)
    {
        quarantine.Add(risk);
        rollout.Drop(risk.Host); // an at-risk host is evacuated, not updated in place
        foreach (var observer in observers)
        {
            observer.HostFlagged(risk);
        }

        var evidence = string.Join("; ", risk.Evidence.Take(3).Select(e => e.Description));
        var vmCount = pass.Inventory.VmsOn(risk.Host).Length;
        Log.HostAtRisk(logger, risk.Host, risk.Probability, risk.Horizon, risk.Assessor, evidence, vmCount);
        await alerts.PublishAsync(Alert.Raise(
            AlertConditions.HostPredictedToFail, risk.Host,
            $"Host {risk.Host} predicted to fail (p={risk.Probability:0.00} within {risk.Horizon.TotalDays:0.#} d): {evidence}. Evacuating {vmCount} VMs.",
            risk.AssessedAt,
            ImmutableDictionary<string, string>.Empty
                .Add("probability", risk.Probability.ToString("0.000", CultureInfo.InvariantCulture))
                .Add("horizon", risk.Horizon.ToString())
                .Add("evidence", evidence)
                .Add("assessor", risk.Assessor)
                .Add("action", $"live-migrate {vmCount} VMs")), cancellationToken).ConfigureAwait(false);
    }
}
