using System.ComponentModel.DataAnnotations;
using Predictor.Core.Configuration;

namespace Predictor.Notifications.OwnerEvents;

/// <summary>Maintenance events for VM owners and their HTTP API (section "Notifications:OwnerEvents").</summary>
public sealed class OwnerEventsOptions
{
    /// <summary>SQLite file that keeps events across restarts; ":memory:" keeps them in memory only.</summary>
    /// <value>The default value is "owner-events.db" (relative to the working directory).</value>
    public string DatabasePath { get; set; } = "owner-events.db";

    /// <summary>Bearer token → owner. A request with a token gets exactly that owner's VMs. Tokens are at least 16 characters.</summary>
    /// <value>The default value is empty (every API call is refused with 401).</value>
    public Dictionary<string, string> Tokens { get; set; } = [];

    /// <summary>How far after scheduling an owner may move an event when the planner names no window end.</summary>
    /// <value>The default value is 14 days (as <c>PlanningOptions.SelfServiceWindow</c>).</value>
    public TimeSpan SelfServiceWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// Per owner, a URL told of each of the owner's events as it is announced and as it starts, completes, fails or is
    /// cancelled: a JSON body <c>{"owner", "event": {…as the owner API shows it}}</c> signed like the alert webhook
    /// (<c>X-Predictor-Signature</c>, keyed with <see cref="WebhookSecret"/>).
    /// </summary>
    /// <value>The default value is empty (owners read the API).</value>
    public Dictionary<string, Uri> Webhooks { get; set; } = [];

    /// <summary>Shared secret signing the owners' webhooks; at least 16 characters; required when <see cref="Webhooks"/> has any.</summary>
    /// <value>The default value is null.</value>
    public string? WebhookSecret { get; set; }
}

/// <summary>The rules of <see cref="OwnerEventsOptions"/>, part of the notification options' rules.</summary>
internal static class OwnerEventsRules
{
    /// <param name="path">Where the options are bound, e.g. <c>Notifications:OwnerEvents</c>.</param>
    public static IEnumerable<ValidationResult> Check(OwnerEventsOptions options, string path)
    {
        if (string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            yield return OptionsError.Invalid($"{path}:{nameof(options.DatabasePath)}", "empty", options.DatabasePath, "a SQLite file, or ':memory:'");
        }

        if (options.SelfServiceWindow <= TimeSpan.Zero)
        {
            yield return OptionsError.Invalid($"{path}:{nameof(options.SelfServiceWindow)}", "out of range", options.SelfServiceWindow, "more than 00:00:00");
        }

        if (options.Webhooks.Count > 0 && (options.WebhookSecret is null || options.WebhookSecret.Length < 16))
        {
            yield return OptionsError.Invalid($"{path}:{nameof(options.WebhookSecret)}", "missing or too short", options.WebhookSecret is null ? "(none)" : "(hidden)", "at least 16 characters, to sign the owners' webhooks");
        }

        foreach (var (owner, url) in options.Webhooks.Where(w => !w.Value.IsAbsoluteUri || w.Value.Scheme is not ("http" or "https")))
        {
            yield return OptionsError.Invalid($"{path}:{nameof(options.Webhooks)}:{owner}", "not an http(s) URL", url, "an absolute http or https URL");
        }

        foreach (var (token, owner) in options.Tokens)
        {
            // the token itself stays out of the message
            var shown = token.Length <= 4 ? "****" : token[..4] + "…";
            if (token.Length < 16 || token.Any(char.IsWhiteSpace))
            {
                yield return OptionsError.Invalid($"{path}:{nameof(options.Tokens)}", "token too short or with spaces", shown, "at least 16 characters without spaces");
            }

            if (string.IsNullOrWhiteSpace(owner))
            {
                yield return OptionsError.Invalid($"{path}:{nameof(options.Tokens)}:{shown}", "empty owner", owner, "the owner the token stands for");
            }
        }
    }
}
