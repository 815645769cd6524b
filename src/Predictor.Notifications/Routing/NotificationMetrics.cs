using System.Diagnostics.Metrics;

namespace Predictor.Notifications.Routing;

/// <summary>Counters of what the router did with each alert, tagged with the target name.</summary>
internal sealed class NotificationMetrics
{
    public const string MeterName = "Predictor.Notifications";

    private readonly Counter<long> _sent;
    private readonly Counter<long> _deduplicated;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _failed;

    public NotificationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _sent = meter.CreateCounter<long>("predictor.notifications.sent", "{notification}", "Notifications delivered to a target.");
        _deduplicated = meter.CreateCounter<long>("predictor.notifications.deduplicated", "{alert}", "Alerts not re-sent because nothing changed within the repeat interval.");
        _rateLimited = meter.CreateCounter<long>("predictor.notifications.rate_limited", "{alert}", "Alerts held back by a target's rate limit and summarised in an overflow notification.");
        _failed = meter.CreateCounter<long>("predictor.notifications.failed", "{notification}", "Notifications that could not be delivered after retries.");
    }

    public void Sent(string target) => _sent.Add(1, new KeyValuePair<string, object?>("target", target));

    public void Deduplicated() => _deduplicated.Add(1);

    public void RateLimited(string target, int alerts) => _rateLimited.Add(alerts, new KeyValuePair<string, object?>("target", target));

    public void Failed(string target) => _failed.Add(1, new KeyValuePair<string, object?>("target", target));
}
