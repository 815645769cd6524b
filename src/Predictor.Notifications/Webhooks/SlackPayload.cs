using System.Text;
using System.Text.Json.Nodes;
using Predictor.Core.Alerts;
using Predictor.Notifications.Routing;

namespace Predictor.Notifications.Webhooks;

/// <summary>
/// Slack incoming-webhook body: <c>text</c> (the notification fallback) and Block Kit <c>blocks</c>: one header
/// (plain_text, ≤ 150 chars), then one mrkdwn section (≤ 3000 chars) per alert, at most 50 blocks; alerts beyond
/// that are counted in a closing context block.
/// </summary>
internal static class SlackPayload
{
    public const int MaxBlocks = 50;
    public const int MaxHeaderLength = 150;
    public const int MaxSectionLength = 3000;

    public static JsonObject Create(NotificationBatch batch, string? runbookBaseUrl)
    {
        var firing = batch.Alerts.Count(a => !a.Resolved);
        var resolved = batch.Alerts.Length - firing;
        var title = firing > 0
            ? $"[FIRING:{firing}] {batch.Condition}" + (resolved > 0 ? $" ({resolved} resolved)" : string.Empty)
            : $"[RESOLVED:{resolved}] {batch.Condition}";
        var blocks = new JsonArray(Header(title));

        // Header, up to 48 alert sections, and room for the closing context block.
        var shown = batch.Alerts.Length <= MaxBlocks - 1 ? batch.Alerts.Length : MaxBlocks - 2;
        foreach (var alert in batch.Alerts.Take(shown))
        {
            blocks.Add(Section(Markdown(alert, runbookBaseUrl)));
        }

        if (shown < batch.Alerts.Length)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "context",
                ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = $"…and {batch.Alerts.Length - shown} more" }),
            });
        }

        var text = batch.Alerts.Length == 1 ? $"{title}: {Headline(batch.Alerts[0])}" : title;
        return new JsonObject { ["text"] = text, ["blocks"] = blocks };
    }

    private static string Headline(Alert alert) => alert.Host is null ? alert.Summary : $"{alert.Host}: {alert.Summary}";

    private static string Markdown(Alert alert, string? runbookBaseUrl)
    {
        var text = new StringBuilder();
        text.Append(alert.Resolved ? ":white_check_mark: " : alert.Severity == AlertSeverity.Critical ? ":rotating_light: " : ":warning: ")
            .Append('*').Append(Escape(Headline(alert))).Append('*');
        Line(text, "Risk", AlertText.Risk(alert));
        Line(text, "Evidence", AlertText.Detail(alert, AlertDetailKeys.Evidence));
        Line(text, "Action", AlertText.Detail(alert, AlertDetailKeys.Action));
        Line(text, "Progress", AlertText.Detail(alert, AlertDetailKeys.Progress));
        if (AlertText.RunbookUrl(alert, runbookBaseUrl) is { } runbook)
        {
            text.Append("\n<").Append(runbook).Append("|Runbook>");
        }

        var result = text.ToString();
        return result.Length <= MaxSectionLength ? result : result[..(MaxSectionLength - 1)] + "…";
    }

    private static void Line(StringBuilder text, string label, string? value)
    {
        if (value is not null)
        {
            text.Append('\n').Append('*').Append(label).Append(":* ").Append(Escape(value));
        }
    }

    private static JsonObject Header(string title) => new()
    {
        ["type"] = "header",
        ["text"] = new JsonObject
        {
            ["type"] = "plain_text",
            ["text"] = title.Length <= MaxHeaderLength ? title : title[..(MaxHeaderLength - 1)] + "…",
        },
    };

    private static JsonObject Section(string markdown) => new()
    {
        ["type"] = "section",
        ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = markdown },
    };

    /// <summary>Slack's mrkdwn needs only &amp;, &lt; and &gt; escaped.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
