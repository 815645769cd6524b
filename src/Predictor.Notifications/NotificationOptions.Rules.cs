using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;
using Predictor.Core.Configuration;
using Predictor.Notifications.OwnerEvents;

namespace Predictor.Notifications;

/// <summary>Checks the whole section at start, every error at once: the rules of <see cref="NotificationOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class NotificationOptionsValidator : IValidateOptions<NotificationOptions>;

public sealed partial class NotificationOptions : IValidatableObject
{
    private const string S = SectionName;

    /// <summary>
    /// The section's rules. They are written out rather than as attributes because most depend on another setting
    /// (a target's address is required only when it is enabled) and the nested sections share types.
    /// </summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        var errors = new List<ValidationResult>();
        Target(errors, "Console", Console);
        Target(errors, "Alertmanager", Alertmanager);
        Target(errors, "PagerDuty", PagerDuty);
        Target(errors, "Slack", Slack);
        Target(errors, "Webhook", Webhook);

        if (Alertmanager.Enabled)
        {
            HttpUrl(errors, "Alertmanager:Url", Alertmanager.Url);
            Positive(errors, "Alertmanager:ResendInterval", Alertmanager.ResendInterval);
            foreach (var (label, _) in Alertmanager.ExtraLabels)
            {
                if (!IsLabelName(label))
                {
                    errors.Add(OptionsError.Invalid($"{S}:Alertmanager:ExtraLabels", "not a label name", label, "[a-zA-Z_][a-zA-Z0-9_]*"));
                }
                else if (label is "alertname" or "condition" or "severity" or "host")
                {
                    errors.Add(OptionsError.Invalid($"{S}:Alertmanager:ExtraLabels", "set by Predictor, cannot be overridden", label, "another label name"));
                }
            }
        }

        if (PagerDuty.Enabled)
        {
            HttpUrl(errors, "PagerDuty:EventsUrl", PagerDuty.EventsUrl);
            if (PagerDuty.RoutingKey is not { Length: 32 } key || !key.All(char.IsAsciiLetterOrDigit))
            {
                // the key itself stays out of the message
                errors.Add(OptionsError.Problem($"{S}:PagerDuty:RoutingKey", "not an integration key (expected the 32-character integration key of the PagerDuty service)"));
            }

            if (string.IsNullOrWhiteSpace(PagerDuty.Source))
            {
                errors.Add(OptionsError.Invalid($"{S}:PagerDuty:Source", "empty", PagerDuty.Source, "the name alerts are raised from"));
            }
        }

        if (Slack.Enabled)
        {
            HttpUrl(errors, "Slack:Url", Slack.Url);
        }

        if (Webhook.Enabled)
        {
            HttpUrl(errors, "Webhook:Url", Webhook.Url);
            if (Webhook.Secret is not { Length: >= 16 })
            {
                errors.Add(OptionsError.Problem($"{S}:Webhook:Secret", "too short (expected at least 16 characters: it keys the HMAC-SHA256 signature)"));
            }
        }

        NotNegative(errors, "Routing:RepeatInterval", Routing.RepeatInterval);
        NotNegative(errors, "Routing:GroupWait", Routing.GroupWait);
        Positive(errors, "Routing:PumpInterval", Routing.PumpInterval);
        if (Routing.RunbookBaseUrl is { } runbook)
        {
            HttpUrl(errors, "Routing:RunbookBaseUrl", runbook);
        }

        if (Delivery.MaxRetries is < 0 or > 10)
        {
            errors.Add(OptionsError.Invalid($"{S}:Delivery:MaxRetries", "out of range", Delivery.MaxRetries, "0 to 10"));
        }

        NotNegative(errors, "Delivery:RetryDelay", Delivery.RetryDelay);
        Positive(errors, "Delivery:AttemptTimeout", Delivery.AttemptTimeout);
        Positive(errors, "Delivery:TotalTimeout", Delivery.TotalTimeout);
        if (Delivery.TotalTimeout < Delivery.AttemptTimeout)
        {
            errors.Add(OptionsError.Invalid($"{S}:Delivery:TotalTimeout", "shorter than one attempt", Delivery.TotalTimeout,
                string.Create(CultureInfo.InvariantCulture, $"at least {S}:Delivery:AttemptTimeout ({Delivery.AttemptTimeout})")));
        }

        errors.AddRange(OwnerEventsRules.Check(OwnerEvents, $"{S}:OwnerEvents"));
        return errors;
    }

    private static void Target(List<ValidationResult> errors, string name, TargetOptions target)
    {
        if (!Enum.IsDefined(target.MinSeverity))
        {
            errors.Add(OptionsError.Invalid($"{S}:{name}:MinSeverity", "unknown severity", target.MinSeverity, "Info, Warning or Critical"));
        }

        if (target.MaxPerHour < 0)
        {
            errors.Add(OptionsError.Invalid($"{S}:{name}:MaxPerHour", "out of range", target.MaxPerHour, "0 (no limit) or more"));
        }

        if (target.MaxPerHour > 0 && target.Burst < 1)
        {
            errors.Add(OptionsError.Invalid($"{S}:{name}:Burst", "out of range", target.Burst, $"at least 1 when {S}:{name}:MaxPerHour is set"));
        }
    }

    private static void HttpUrl(List<ValidationResult> errors, string key, Uri? url)
    {
        if (url is null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add(OptionsError.Invalid($"{S}:{key}", url is null ? "required when the target is enabled" : "not an http address", url, "an absolute http or https URL"));
        }
    }

    private static void Positive(List<ValidationResult> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add(OptionsError.Invalid($"{S}:{key}", "out of range", value, "more than 00:00:00"));
        }
    }

    private static void NotNegative(List<ValidationResult> errors, string key, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            errors.Add(OptionsError.Invalid($"{S}:{key}", "out of range", value, "00:00:00 or more"));
        }
    }

    private static bool IsLabelName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
