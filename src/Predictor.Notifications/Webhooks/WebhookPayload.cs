using System.Globalization;
using System.Text.Json.Nodes;
using Predictor.Notifications.Routing;

namespace Predictor.Notifications.Webhooks;

/// <summary>
/// Body of the generic webhook, version "1":
/// <c>{"version":"1","condition","status":"firing|resolved","firing":n,"resolved":n,"alerts":[{"condition","dedupKey",
/// "status","severity","summary","host","at","runbookUrl","details":{}}]}</c>. status is "firing" when any alert fires.
/// </summary>
internal static class WebhookPayload
{
    public static JsonObject Create(NotificationBatch batch, string? runbookBaseUrl)
    {
        var alerts = new JsonArray();
        foreach (var alert in batch.Alerts)
        {
            var details = new JsonObject();
            foreach (var (key, value) in alert.Details.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                details[key] = value;
            }

            alerts.Add(new JsonObject
            {
                ["condition"] = alert.Condition,
                ["dedupKey"] = alert.DedupKey,
                ["status"] = alert.Resolved ? "resolved" : "firing",
                ["severity"] = AlertText.Severity(alert.Severity),
                ["summary"] = alert.Summary,
                ["host"] = alert.Host,
                ["at"] = alert.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["runbookUrl"] = AlertText.RunbookUrl(alert, runbookBaseUrl),
                ["details"] = details,
            });
        }

        var firing = batch.Alerts.Count(a => !a.Resolved);
        return new JsonObject
        {
            ["version"] = "1",
            ["condition"] = batch.Condition,
            ["status"] = firing > 0 ? "firing" : "resolved",
            ["firing"] = firing,
            ["resolved"] = batch.Alerts.Length - firing,
            ["alerts"] = alerts,
        };
    }
}
