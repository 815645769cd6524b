using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Predictor.Core.Alerts;
using Predictor.Daemon.Metrics;
using Predictor.Planning.Validation;

namespace Predictor.Daemon.Pipeline;

/// <summary>Checks the plan with the independent validator; a rejected plan is never executed, and on-call is paged.</summary>
internal sealed class ValidateStage(IAlertPublisher alerts, DaemonMetrics? metrics, ILogger logger)
{
    public async ValueTask RunAsync(PassContext pass, CancellationToken cancellationToken)
    {
        if (pass.Plan is null || pass.Request is null)
        {
            return;
        }

        var violations = PlanValidator.Validate(pass.Request, pass.Plan);
        if (violations.Count == 0)
        {
            return;
        }

        pass.Plan = null;
        metrics?.PlanRejected();
        var text = string.Join("; ", violations.Take(5));
        Log.PlanRejected(logger, violations.Count, text);
        await alerts.PublishAsync(Alert.Raise(
            AlertConditions.PlanRejected, null,
            $"A plan was rejected by the plan validator ({violations.Count} violations): {text}", pass.Now,
            ImmutableDictionary<string, string>.Empty.Add("violations", text)), cancellationToken).ConfigureAwait(false);
    }
}
