using System.Globalization;
using System.Text.Json.Nodes;
using Predictor.Core.Alerts;

namespace Predictor.Notifications.PagerDuty;

/// <summary>
/// Builds an Events API v2 event: routing_key, event_action (trigger/acknowledge/resolve), dedup_key and, for
/// triggers, payload {summary (≤ 1024 chars), source, severity, timestamp, component, group, class, custom_details},
/// links and client fields.
/// </summary>
internal static class PagerDutyPayload
{
    /// <summary>PagerDuty truncates longer summaries; cut them ourselves so the end is visible as "…".</summary>
    public const int MaxSummaryLength = 1024;

    public static string Action(Alert alert) =>
        alert.Resolved ? "resolve"
        : AlertText.Detail(alert, AlertDetailKeys.Acknowledged) == "true" ? "acknowledge"
        : "trigger";

    public static JsonObject Event(Alert alert, PagerDutyOptions options, string? runbookBaseUrl)
    {
        var action = Action(alert);
        var body = new JsonObject
        {
            ["routing_key"] = options.RoutingKey,
            ["event_action"] = action,
            ["dedup_key"] = alert.DedupKey,
        };
        if (action != "trigger")
        {
            return body;
        }

        var details = new JsonObject { ["condition"] = alert.Condition };
        if (AlertText.Risk(alert) is { } risk)
        {
            details["risk"] = risk;
        }

        foreach (var (key, value) in alert.Details.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            details[key] = value;
        }

        var summary = alert.Host is null ? alert.Summary : $"{alert.Host}: {alert.Summary}";
        if (summary.Length > MaxSummaryLength)
        {
            summary = summary[..(MaxSummaryLength - 1)] + "…";
        }

        body["payload"] = new JsonObject
        {
            ["summary"] = summary,
            ["source"] = alert.Host ?? options.Source,
            ["severity"] = AlertText.Severity(alert.Severity),
            ["timestamp"] = alert.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["component"] = alert.Host is null ? "predictor" : "host",
            ["group"] = alert.Condition,
            ["class"] = alert.Condition,
            ["custom_details"] = details,
        };
        if (AlertText.RunbookUrl(alert, runbookBaseUrl) is { } runbook)
        {
            body["links"] = new JsonArray(new JsonObject { ["href"] = runbook, ["text"] = "Runbook" });
        }

        body["client"] = "Predictor";
        if (options.ClientUrl is not null)
        {
            body["client_url"] = options.ClientUrl.ToString();
        }

        return body;
    }
}
