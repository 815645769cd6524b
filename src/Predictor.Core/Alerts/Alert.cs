using System.Collections.Immutable;

namespace Predictor.Core.Alerts;

/// <summary>How urgently a human must act.</summary>
public enum AlertSeverity
{
    /// <summary>For the record; nobody needs to act.</summary>
    Info,

    /// <summary>Someone should look during working hours.</summary>
    Warning,

    /// <summary>Page on-call: a human must act now.</summary>
    Critical,
}

/// <summary>
/// A condition Predictor tells people about. <see cref="DedupKey"/> is stable per host and condition,
/// so repeats update one incident and <see cref="Resolved"/> closes it.
/// </summary>
public sealed record Alert(
    string Condition,
    string DedupKey,
    AlertSeverity Severity,
    string Summary,
    string? Host,
    DateTimeOffset At,
    ImmutableDictionary<string, string> Details,
    bool Resolved = false)
{
    public static string KeyFor(string condition, string? host) => host is null ? condition : $"{condition}/{host}";

    /// <summary>An alert of <paramref name="condition"/> about <paramref name="host"/> (null: the datacenter), with the condition's severity from <see cref="AlertConditions.SeverityOf"/>.</summary>
    public static Alert Raise(string condition, string? host, string summary, DateTimeOffset at, ImmutableDictionary<string, string>? details = null, bool resolved = false) =>
        new(condition, KeyFor(condition, host), AlertConditions.SeverityOf(condition), summary, host, at, details ?? ImmutableDictionary<string, string>.Empty, resolved);
}

/// <summary>Sends alerts to people (console, Alertmanager, PagerDuty, webhooks).</summary>
public interface IAlertPublisher
{
    Task PublishAsync(Alert alert, CancellationToken cancellationToken);
}
