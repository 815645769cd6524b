using System.Collections.Immutable;
using Predictor.Core.Alerts;

namespace Predictor.Notifications.Routing;

/// <summary>Alerts of one condition that go out together to one target.</summary>
/// <param name="Condition">The condition all alerts share.</param>
/// <param name="Alerts">Latest state of each alert, one per dedup key, in arrival order.</param>
internal sealed record NotificationBatch(string Condition, ImmutableArray<Alert> Alerts);

/// <summary>Where notifications go: Alertmanager, PagerDuty, a webhook, the console.</summary>
internal interface INotificationTarget
{
    /// <summary>Stable name used in logs, metrics and rate limits, e.g. "pagerduty".</summary>
    string Name { get; }

    /// <summary>True when a batch of several alerts is delivered as one notification.</summary>
    bool SupportsGrouping { get; }

    /// <summary>Delivers the batch; throws when it could not be delivered after retries.</summary>
    Task SendAsync(NotificationBatch batch, CancellationToken cancellationToken);
}

/// <summary>A target that must hear about active alerts again periodically (Alertmanager expires silent alerts).</summary>
internal interface IRefreshingTarget
{
    /// <summary>Re-sends active alerts when the refresh interval has passed; does nothing otherwise.</summary>
    Task RefreshAsync(CancellationToken cancellationToken);
}
