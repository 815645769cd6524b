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

/// <summary>Checks <see cref="OwnerEventsOptions"/>; called by the notification options validator.</summary>
internal static class OwnerEventsOptionsValidator
{
    public static void Validate(OwnerEventsOptions options, string path, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            errors.Add($"{path}:DatabasePath must name a SQLite file (or ':memory:').");
        }

        if (options.SelfServiceWindow <= TimeSpan.Zero)
        {
            errors.Add($"{path}:SelfServiceWindow must be positive, got {options.SelfServiceWindow}.");
        }

        foreach (var (token, owner) in options.Tokens)
        {
            var shown = token.Length <= 4 ? "****" : token[..4] + "…";
            if (token.Length < 16 || token.Any(char.IsWhiteSpace))
            {
                errors.Add($"{path}:Tokens: token '{shown}' must be at least 16 characters without spaces.");
            }

            if (string.IsNullOrWhiteSpace(owner))
            {
                errors.Add($"{path}:Tokens: token '{shown}' maps to an empty owner.");
            }
        }
    }
}
