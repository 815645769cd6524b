using System.Globalization;
using System.Text.Json.Nodes;
using Predictor.Core.Alerts;

namespace Predictor.Notifications.Alertmanager;

/// <summary>Builds the postableAlerts body of POST /api/v2/alerts.</summary>
internal static class AlertmanagerPayload
{
    public static JsonObject Alert(
        Alert alert,
        DateTimeOffset startsAt,
        DateTimeOffset endsAt,
        AlertmanagerOptions options,
        string? runbookBaseUrl)
    {
        var labels = new JsonObject
        {
            ["alertname"] = alert.Condition,
            ["condition"] = alert.Condition,
            ["severity"] = AlertText.Severity(alert.Severity),
        };
        if (alert.Host is not null)
        {
            labels["host"] = alert.Host;
        }

        foreach (var (name, value) in options.ExtraLabels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            labels[name] = value;
        }

        var annotations = new JsonObject
        {
            ["summary"] = alert.Summary,
            ["description"] = AlertText.Description(alert),
        };
        if (AlertText.RunbookUrl(alert, runbookBaseUrl) is { } runbook)
        {
            annotations["runbook_url"] = runbook;
        }

        foreach (var key in new[] { AlertDetailKeys.Probability, AlertDetailKeys.Horizon, AlertDetailKeys.Evidence, AlertDetailKeys.Action, AlertDetailKeys.Progress })
        {
            if (AlertText.Detail(alert, key) is { } value)
            {
                annotations[key] = value;
            }
        }

        return new JsonObject
        {
            ["labels"] = labels,
            ["annotations"] = annotations,
            ["startsAt"] = Format(startsAt),
            ["endsAt"] = Format(endsAt),
            ["generatorURL"] = GeneratorUrl(options.GeneratorUrl, alert.Host),
        };
    }

    private static string GeneratorUrl(Uri baseUrl, string? host) =>
        host is null ? baseUrl.ToString() : new UriBuilder(baseUrl) { Query = "host=" + Uri.EscapeDataString(host) }.Uri.ToString();

    private static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
