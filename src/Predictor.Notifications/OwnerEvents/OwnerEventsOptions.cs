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
