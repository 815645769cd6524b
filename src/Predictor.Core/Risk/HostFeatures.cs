using System.Collections.Frozen;

namespace Predictor.Core.Risk;

/// <summary>
/// The named features of one host at one moment, built from its telemetry windows. Names follow
/// <c>{signal}.{aggregate}</c>, e.g. <c>smart_5_raw.max</c>, <c>mem_ce_total.rate_1h</c> (see <see cref="FeatureNames"/>).
/// A missing feature means no data, which models treat as NaN.
/// </summary>
/// <param name="Host">Host id.</param>
/// <param name="At">When the features were computed.</param>
/// <param name="LastSeen">Newest telemetry time for the host; null when it never reported.</param>
/// <param name="Values">Feature values by name.</param>
public sealed record HostFeatures(string Host, DateTimeOffset At, DateTimeOffset? LastSeen, FrozenDictionary<string, double> Values)
{
    public double Get(string name) => Values.TryGetValue(name, out var v) ? v : double.NaN;

    public bool IsStale(TimeSpan maxAge) => LastSeen is not { } seen || At - seen > maxAge;
}
