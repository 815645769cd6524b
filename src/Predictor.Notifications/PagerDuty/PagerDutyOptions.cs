namespace Predictor.Notifications.PagerDuty;

/// <summary>PagerDuty Events API v2 target (section "Notifications:PagerDuty").</summary>
public sealed class PagerDutyOptions : TargetOptions
{
    public PagerDutyOptions() => MinSeverity = Core.Alerts.AlertSeverity.Critical;

    /// <summary>The Events API v2 endpoint.</summary>
    /// <value>The default value is https://events.pagerduty.com/v2/enqueue.</value>
    public Uri EventsUrl { get; set; } = new("https://events.pagerduty.com/v2/enqueue");

    /// <summary>The 32-character integration (routing) key of the PagerDuty service.</summary>
    /// <value>The default value is null (required when enabled).</value>
    public string? RoutingKey { get; set; }

    /// <summary>payload.source for alerts without a host (the daemon's own problems), e.g. "predictor-fra1".</summary>
    /// <value>The default value is "predictor".</value>
    public string Source { get; set; } = "predictor";

    /// <summary>Link to Predictor's dashboard sent as client_url.</summary>
    /// <value>The default value is null (not sent).</value>
    public Uri? ClientUrl { get; set; }
}
