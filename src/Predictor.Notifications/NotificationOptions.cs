using Predictor.Core.Configuration;
using Predictor.Notifications.Alertmanager;
using Predictor.Notifications.Console;
using Predictor.Notifications.Delivery;
using Predictor.Notifications.OwnerEvents;
using Predictor.Notifications.PagerDuty;
using Predictor.Notifications.Routing;
using Predictor.Notifications.Webhooks;

namespace Predictor.Notifications;

/// <summary>Everything under configuration section "Notifications"; validated at start, every error at once.</summary>
[OptionsSection(SectionName)]
public sealed partial class NotificationOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Notifications";

    /// <summary>One line per alert on standard output. Enabled by default.</summary>
    public ConsoleOptions Console { get; set; } = new();

    /// <summary>Alertmanager v2 API.</summary>
    public AlertmanagerOptions Alertmanager { get; set; } = new();

    /// <summary>PagerDuty Events API v2.</summary>
    public PagerDutyOptions PagerDuty { get; set; } = new();

    /// <summary>Slack-compatible incoming webhook.</summary>
    public SlackOptions Slack { get; set; } = new();

    /// <summary>Generic HMAC-signed JSON webhook.</summary>
    public WebhookOptions Webhook { get; set; } = new();

    /// <summary>Dedup, grouping and runbook links.</summary>
    public RoutingOptions Routing { get; set; } = new();

    /// <summary>Retries and timeouts of HTTP targets.</summary>
    public DeliveryOptions Delivery { get; set; } = new();

    /// <summary>Maintenance events for VM owners and their API.</summary>
    public OwnerEventsOptions OwnerEvents { get; set; } = new();
}
