using System.Globalization;
using System.Text;
using Predictor.Core.Alerts;

namespace Predictor.Notifications;

/// <summary>Renders the parts of an alert an on-call engineer reads, the same way for every target.</summary>
internal static class AlertText
{
    public static string Severity(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => "critical",
        AlertSeverity.Warning => "warning",
        _ => "info",
    };

    public static string? Detail(Alert alert, string key) =>
        alert.Details.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>The runbook link: the alert's own, else the base URL joined with the condition name.</summary>
    public static string? RunbookUrl(Alert alert, string? runbookBaseUrl) =>
        Detail(alert, AlertDetailKeys.Runbook)
        ?? (string.IsNullOrWhiteSpace(runbookBaseUrl) ? null : runbookBaseUrl.TrimEnd('/') + "/" + alert.Condition);

    /// <summary>"risk 87% within 48h" from the probability and horizon details, or null when neither is set.</summary>
    public static string? Risk(Alert alert)
    {
        var probability = Detail(alert, AlertDetailKeys.Probability);
        var horizon = Detail(alert, AlertDetailKeys.Horizon);
        if (probability is null && horizon is null)
        {
            return null;
        }

        var risk = probability is not null && double.TryParse(probability, NumberStyles.Float, CultureInfo.InvariantCulture, out var p)
            ? string.Create(CultureInfo.InvariantCulture, $"risk {p * 100:0.#}%")
            : probability is null ? "risk" : $"risk {probability}";
        return horizon is null ? risk : $"{risk} within {horizon}";
    }

    /// <summary>Multi-line description: risk, evidence, action, progress, one per line.</summary>
    public static string Description(Alert alert)
    {
        var text = new StringBuilder();
        if (alert.Host is not null)
        {
            text.Append("Host ").Append(alert.Host).Append(": ");
        }

        text.Append(alert.Summary);
        AppendLine(text, "Risk", Risk(alert));
        AppendLine(text, "Evidence", Detail(alert, AlertDetailKeys.Evidence));
        AppendLine(text, "Action", Detail(alert, AlertDetailKeys.Action));
        AppendLine(text, "Progress", Detail(alert, AlertDetailKeys.Progress));
        return text.ToString();
    }

    /// <summary>One readable line: time, severity, condition, host, summary and the details that are set.</summary>
    public static string OneLine(Alert alert, string? runbookBaseUrl)
    {
        var line = new StringBuilder();
        line.Append(alert.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            .Append(' ').Append(alert.Resolved ? "RESOLVED" : Severity(alert.Severity).ToUpperInvariant())
            .Append(' ').Append(alert.Condition);
        if (alert.Host is not null)
        {
            line.Append(" host=").Append(alert.Host);
        }

        line.Append(": ").Append(alert.Summary);
        AppendPart(line, Risk(alert));
        AppendPart(line, Detail(alert, AlertDetailKeys.Evidence), "evidence: ");
        AppendPart(line, Detail(alert, AlertDetailKeys.Action), "action: ");
        AppendPart(line, Detail(alert, AlertDetailKeys.Progress), "progress: ");
        AppendPart(line, RunbookUrl(alert, runbookBaseUrl), "runbook: ");
        return line.ToString();
    }

    private static void AppendLine(StringBuilder text, string label, string? value)
    {
        if (value is not null)
        {
            text.Append('\n').Append(label).Append(": ").Append(value);
        }
    }

    private static void AppendPart(StringBuilder line, string? value, string prefix = "")
    {
        if (value is not null)
        {
            line.Append(" | ").Append(prefix).Append(value);
        }
    }
}
