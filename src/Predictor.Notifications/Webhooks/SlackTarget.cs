using System.Text.Json;
using Predictor.Notifications.Delivery;
using Predictor.Notifications.Routing;

namespace Predictor.Notifications.Webhooks;

/// <summary>Posts a group of alerts as one Slack message.</summary>
internal sealed class SlackTarget(HttpClient client, HttpDelivery delivery, SlackOptions options, string? runbookBaseUrl)
    : INotificationTarget
{
    public string Name => "slack";

    public bool SupportsGrouping => true;

    public Task SendAsync(NotificationBatch batch, CancellationToken cancellationToken) =>
        delivery.PostAsync(
            client,
            options.Url ?? throw new InvalidOperationException("Slack URL is required."),
            JsonSerializer.SerializeToUtf8Bytes(SlackPayload.Create(batch, runbookBaseUrl)),
            null,
            cancellationToken);
}
