using System.Text.Json;
using Predictor.Notifications.Delivery;
using Predictor.Notifications.Routing;

namespace Predictor.Notifications.Webhooks;

/// <summary>Posts a group of alerts as one signed JSON body (see <see cref="WebhookSignature"/>).</summary>
internal sealed class WebhookTarget(HttpClient client, HttpDelivery delivery, WebhookOptions options, string? runbookBaseUrl, TimeProvider time)
    : INotificationTarget
{
    public string Name => "webhook";

    public bool SupportsGrouping => true;

    public async Task SendAsync(NotificationBatch batch, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(WebhookPayload.Create(batch, runbookBaseUrl));
        var secret = options.Secret ?? throw new InvalidOperationException("Webhook secret is required.");
        var url = options.Url ?? throw new InvalidOperationException("Webhook URL is required.");

        // One signature for all attempts: retries end within Delivery:TotalTimeout (default 60 s), well inside the
        // 5-minute replay tolerance README recommends to receivers.
        var signature = WebhookSignature.Create(secret, body, time.GetUtcNow());
        await delivery.PostAsync(client, url, body, h => h.TryAddWithoutValidation(WebhookSignature.HeaderName, signature), cancellationToken)
            .ConfigureAwait(false);
    }
}
