namespace Predictor.Notifications;

/// <summary>
/// Keys of <see cref="Predictor.Core.Alerts.Alert.Details"/> that notifications render for on-call. All are
/// optional; unknown keys are passed on as extra details (PagerDuty custom_details, webhook details).
/// </summary>
public static class AlertDetailKeys
{
    /// <summary>Failure probability within the horizon, invariant decimal, e.g. "0.87".</summary>
    public const string Probability = "probability";

    /// <summary>Prediction horizon or deadline as people read it, e.g. "48h" or "2026-01-07T10:00Z".</summary>
    public const string Horizon = "horizon";

    /// <summary>The evidence that drove the alert, e.g. "smart_reallocated_sectors +120/day; ecc_ce 3x baseline".</summary>
    public const string Evidence = "evidence";

    /// <summary>The planned or running action, e.g. "live-migrating 7 VMs to r12-h03".</summary>
    public const string Action = "action";

    /// <summary>Progress of that action, e.g. "3/7 VMs moved, eta 12 min".</summary>
    public const string Progress = "progress";

    /// <summary>Absolute runbook URL; when absent the configured runbook base URL plus the condition is used.</summary>
    public const string Runbook = "runbook";

    /// <summary>"true" when a human has acknowledged the incident (PagerDuty receives an acknowledge event).</summary>
    public const string Acknowledged = "acknowledged";

    /// <summary>The keys above in the order notifications show them.</summary>
    internal static readonly string[] Ordered = [Probability, Horizon, Evidence, Action, Progress, Runbook];
}
