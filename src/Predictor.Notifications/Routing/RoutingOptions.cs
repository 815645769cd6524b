namespace Predictor.Notifications.Routing;

/// <summary>Dedup and grouping for all targets (section "Notifications:Routing").</summary>
public sealed class RoutingOptions
{
    /// <summary>An alert whose content has not changed is not sent again before this much time has passed.</summary>
    /// <value>The default value is 4 hours.</value>
    public TimeSpan RepeatInterval { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Alerts of one condition arriving within this wait go out as one notification where the target groups. Zero sends at once.</summary>
    /// <value>The default value is 30 s.</value>
    public TimeSpan GroupWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the pump looks for due groups, overflow summaries and Alertmanager refreshes.</summary>
    /// <value>The default value is 5 s.</value>
    public TimeSpan PumpInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Base URL of the runbooks; the condition name is appended when an alert names no runbook of its own.</summary>
    /// <value>The default value is null (no link unless the alert carries one).</value>
    public Uri? RunbookBaseUrl { get; set; }
}
