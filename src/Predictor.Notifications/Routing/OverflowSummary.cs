using System.Collections.Immutable;
using System.Globalization;
using Predictor.Core.Alerts;

namespace Predictor.Notifications.Routing;

/// <summary>The one notification that stands for alerts a target's rate limit held back.</summary>
internal static class OverflowSummary
{
    /// <summary>Condition name of the overflow notification.</summary>
    public const string Condition = "NotificationsRateLimited";

    public static Alert Create(string target, IReadOnlyList<Alert> heldBack, DateTimeOffset at)
    {
        var byCondition = heldBack
            .GroupBy(a => a.Condition)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} x{g.Count()}"));
        var hosts = heldBack.Where(a => a.Host is not null).Select(a => a.Host!).Distinct().Order(StringComparer.Ordinal).ToList();
        var details = ImmutableDictionary<string, string>.Empty
            .Add("conditions", string.Join(", ", byCondition))
            .Add("hosts", hosts.Count <= 20 ? string.Join(", ", hosts) : string.Join(", ", hosts.Take(20)) + $" and {hosts.Count - 20} more")
            .Add("held_back", heldBack.Count.ToString(CultureInfo.InvariantCulture));
        var severity = heldBack.Max(a => a.Severity);
        return new Alert(
            Condition,
            Alert.KeyFor(Condition, null) + "/" + target,
            severity,
            string.Create(CultureInfo.InvariantCulture, $"{heldBack.Count} more alert(s) held back by the rate limit of {target}; see Predictor for each"),
            null,
            at,
            details);
    }
}
