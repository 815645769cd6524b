using System.Globalization;
using Microsoft.Extensions.Options;

namespace Predictor.Notifications;

/// <summary>Checks every setting of <see cref="NotificationOptions"/> and reports all problems in one result.</summary>
internal sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    private const string S = NotificationOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var errors = new List<string>();
        Target(errors, "Console", options.Console);
        Target(errors, "Alertmanager", options.Alertmanager);
        Target(errors, "PagerDuty", options.PagerDuty);
        Target(errors, "Slack", options.Slack);
        Target(errors, "Webhook", options.Webhook);

        if (options.Alertmanager.Enabled)
        {
            HttpUrl(errors, "Alertmanager:Url", options.Alertmanager.Url);
            Positive(errors, "Alertmanager:ResendInterval", options.Alertmanager.ResendInterval);
            foreach (var (label, _) in options.Alertmanager.ExtraLabels)
            {
                if (!IsLabelName(label))
                {
                    errors.Add($"{S}:Alertmanager:ExtraLabels: '{label}' is not a valid label name (expected [a-zA-Z_][a-zA-Z0-9_]*).");
                }
                else if (label is "alertname" or "condition" or "severity" or "host")
                {
                    errors.Add($"{S}:Alertmanager:ExtraLabels: '{label}' is set by Predictor and cannot be overridden.");
                }
            }
        }

        if (options.PagerDuty.Enabled)
        {
            HttpUrl(errors, "PagerDuty:EventsUrl", options.PagerDuty.EventsUrl);
            if (options.PagerDuty.RoutingKey is not { Length: 32 } key || !key.All(char.IsAsciiLetterOrDigit))
            {
                errors.Add($"{S}:PagerDuty:RoutingKey must be the 32-character integration key of the PagerDuty service.");
            }

            if (string.IsNullOrWhiteSpace(options.PagerDuty.Source))
            {
                errors.Add($"{S}:PagerDuty:Source must not be empty.");
            }
        }

        if (options.Slack.Enabled)
        {
            HttpUrl(errors, "Slack:Url", options.Slack.Url);
        }

        if (options.Webhook.Enabled)
        {
            HttpUrl(errors, "Webhook:Url", options.Webhook.Url);
            if (options.Webhook.Secret is not { Length: >= 16 })
            {
                errors.Add($"{S}:Webhook:Secret must be at least 16 characters (it keys the HMAC-SHA256 signature).");
            }
        }

        if (options.Routing.RepeatInterval < TimeSpan.Zero)
        {
            errors.Add($"{S}:Routing:RepeatInterval must not be negative, got {options.Routing.RepeatInterval}.");
        }

        if (options.Routing.GroupWait < TimeSpan.Zero)
        {
            errors.Add($"{S}:Routing:GroupWait must not be negative, got {options.Routing.GroupWait}.");
        }

        Positive(errors, "Routing:PumpInterval", options.Routing.PumpInterval);
        if (options.Routing.RunbookBaseUrl is { } runbook)
        {
            HttpUrl(errors, "Routing:RunbookBaseUrl", runbook);
        }

        if (options.Delivery.MaxRetries is < 0 or > 10)
        {
            errors.Add($"{S}:Delivery:MaxRetries must be between 0 and 10, got {options.Delivery.MaxRetries}.");
        }

        if (options.Delivery.RetryDelay < TimeSpan.Zero)
        {
            errors.Add($"{S}:Delivery:RetryDelay must not be negative, got {options.Delivery.RetryDelay}.");
        }

        Positive(errors, "Delivery:AttemptTimeout", options.Delivery.AttemptTimeout);
        Positive(errors, "Delivery:TotalTimeout", options.Delivery.TotalTimeout);
        if (options.Delivery.TotalTimeout < options.Delivery.AttemptTimeout)
        {
            errors.Add($"{S}:Delivery:TotalTimeout ({options.Delivery.TotalTimeout}) must be at least Delivery:AttemptTimeout ({options.Delivery.AttemptTimeout}).");
        }

        OwnerEvents.OwnerEventsOptionsValidator.Validate(options.OwnerEvents, $"{S}:OwnerEvents", errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Target(List<string> errors, string name, TargetOptions target)
    {
        if (!Enum.IsDefined(target.MinSeverity))
        {
            errors.Add($"{S}:{name}:MinSeverity must be Info, Warning or Critical.");
        }

        if (target.MaxPerHour < 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{S}:{name}:MaxPerHour must be 0 (no limit) or positive, got {target.MaxPerHour}."));
        }

        if (target.MaxPerHour > 0 && target.Burst < 1)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{S}:{name}:Burst must be at least 1 when MaxPerHour is set, got {target.Burst}."));
        }
    }

    private static void HttpUrl(List<string> errors, string key, Uri? url)
    {
        if (url is null)
        {
            errors.Add($"{S}:{key} is required when the target is enabled.");
        }
        else if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{S}:{key} must be an absolute http or https URL, got '{url}'.");
        }
    }

    private static void Positive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{S}:{key} must be positive, got {value}.");
        }
    }

    private static bool IsLabelName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
