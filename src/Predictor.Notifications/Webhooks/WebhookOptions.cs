namespace Predictor.Notifications.Webhooks;

/// <summary>Generic JSON webhook with an HMAC-SHA256 signature (section "Notifications:Webhook").</summary>
public sealed class WebhookOptions : TargetOptions
{
    /// <summary>Where the JSON body is posted.</summary>
    /// <value>The default value is null (required when enabled).</value>
    public Uri? Url { get; set; }

    /// <summary>Shared secret for the <c>X-Predictor-Signature</c> header; at least 16 characters.</summary>
    /// <value>The default value is null (required when enabled).</value>
    public string? Secret { get; set; }
}
