namespace Predictor.Notifications.Webhooks;

/// <summary>Slack-compatible incoming webhook target (section "Notifications:Slack"); Mattermost and Rocket.Chat accept it too.</summary>
public sealed class SlackOptions : TargetOptions
{
    /// <summary>The incoming-webhook URL.</summary>
    /// <value>The default value is null (required when enabled).</value>
    public Uri? Url { get; set; }
}
