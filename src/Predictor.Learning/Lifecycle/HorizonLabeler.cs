using Predictor.Core.Outcomes;

namespace Predictor.Learning.Lifecycle;

/// <summary>What a row's outcome is known to be.</summary>
public enum RowLabel
{
    /// <summary>The host was seen in service and unmitigated for the whole horizon and did not fail.</summary>
    Negative = 0,

    /// <summary>The host failed within the horizon after the row.</summary>
    Positive = 1,

    /// <summary>
    /// Unknown: the horizon reaches past what was observed (such a row is left out even when its host failed, or the
    /// newest rows would be all failures), or a mitigation (an evacuation on a prediction) or the host's
    /// decommissioning within it could have hidden a failure. Such rows are left out, never called negative.
    /// </summary>
    Censored,

    /// <summary>The host was down (failed and not yet repaired) or decommissioned at the row's time: no row.</summary>
    OutOfService,
}

/// <summary>
/// Labels a host's feature row at time t from what became of the host, once the whole window (t, t + horizon] has been
/// observed (it ends by <c>observedUntil</c>; a later row is <see cref="RowLabel.Censored"/>, failure or not, so the newest
/// rows are not all failures): <see cref="RowLabel.Positive"/> when it failed in the window; <see cref="RowLabel.Negative"/>
/// only when it was in service and not under mitigation for all of it; otherwise <see cref="RowLabel.Censored"/>. A mitigation runs from
/// an <see cref="OutcomeKind.Evacuated"/> outcome to the host's next release, repair, failure or decommissioning (a
/// prevented failure is never seen, so it must not become a negative: Uptake, Azure 2024). Thread-safe once built.
/// </summary>
public sealed class HorizonLabeler
{
    private readonly Dictionary<string, HostOutcome[]> _byHost;
    private readonly TimeSpan _horizon;
    private readonly DateTimeOffset _observedUntil;

    /// <param name="outcomes">Every known outcome (any order, duplicates allowed).</param>
    /// <param name="horizon">What a positive means: fails within this.</param>
    /// <param name="observedUntil">Outcomes are known up to here; a window reaching past it cannot be negative.</param>
    public HorizonLabeler(IEnumerable<HostOutcome> outcomes, TimeSpan horizon, DateTimeOffset observedUntil)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(horizon, TimeSpan.Zero);
        _horizon = horizon;
        _observedUntil = observedUntil;
        _byHost = outcomes.GroupBy(o => o.Host, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(o => o.At).ThenBy(o => o.Kind).ToArray(), StringComparer.Ordinal);
    }

    public TimeSpan Horizon => _horizon;

    public DateTimeOffset ObservedUntil => _observedUntil;

    /// <summary>The label of <paramref name="host"/>'s row at <paramref name="at"/>.</summary>
    public RowLabel Label(string host, DateTimeOffset at)
    {
        var end = at + _horizon;
        if (!_byHost.TryGetValue(host, out var events))
        {
            return end <= _observedUntil ? RowLabel.Negative : RowLabel.Censored;
        }

        var observed = end <= _observedUntil;

        var inService = true;
        var mitigated = false;
        foreach (var e in events)
        {
            if (e.At > at)
            {
                break;
            }

            switch (e.Kind)
            {
                case OutcomeKind.Failed or OutcomeKind.Decommissioned:
                    inService = false;
                    mitigated = false;
                    break;
                case OutcomeKind.Repaired:
                    inService = true;
                    mitigated = false;
                    break;
                case OutcomeKind.Released:
                    mitigated = false;
                    break;
                case OutcomeKind.Evacuated:
                    mitigated = true;
                    break;
            }
        }

        if (!inService)
        {
            return RowLabel.OutOfService;
        }

        if (!observed)
        {
            return RowLabel.Censored;
        }

        var hidden = mitigated;
        foreach (var e in events)
        {
            if (e.At <= at)
            {
                continue;
            }

            if (e.At > end)
            {
                break;
            }

            if (e.Kind == OutcomeKind.Failed)
            {
                return RowLabel.Positive;
            }

            hidden |= e.Kind is OutcomeKind.Evacuated or OutcomeKind.Decommissioned;
        }

        return hidden ? RowLabel.Censored : RowLabel.Negative;
    }
}
