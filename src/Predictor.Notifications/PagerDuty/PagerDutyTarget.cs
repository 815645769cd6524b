using System.Text.Json;
using Predictor.Notifications.Delivery;
using Predictor.Notifications.Routing;

namespace Predictor.Notifications.PagerDuty;

/// <summary>Sends one Events API v2 event per alert; dedup_key is the alert's, so repeats update one incident.</summary>
internal sealed class PagerDutyTarget(HttpClient client, HttpDelivery delivery, PagerDutyOptions options, string? runbookBaseUrl)
    : INotificationTarget
{
    public string Name => "pagerduty";

    public bool SupportsGrouping => false;

    public async Task SendAsync(NotificationBatch batch, CancellationToken cancellationToken)
    {
        foreach (var alert in batch.Alerts)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(PagerDutyPayload.Event(alert, options, runbookBaseUrl));
            await delivery.PostAsync(client, options.EventsUrl, body, null, cancellationToken).ConfigureAwait(false);
        }
    }
}
