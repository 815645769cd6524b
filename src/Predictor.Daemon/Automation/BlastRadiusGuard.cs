using Predictor.Core.Risk;

namespace Predictor.Daemon.Automation;

/// <summary>Why the blast-radius guard tripped.</summary>
/// <param name="Flagged">Hosts flagged within the window.</param>
/// <param name="Hosts">Hosts watched (not failed or decommissioned).</param>
/// <param name="Top">The flagged hosts, most likely to fail first, at most five.</param>
public sealed record BlastRadiusTrip(int Flagged, int Hosts, double MaxShare, TimeSpan Window, DateTimeOffset At, IReadOnlyList<RiskAssessment> Top)
{
    public double Share => Hosts == 0 ? 0 : (double)Flagged / Hosts;
}

/// <summary>Counts hosts flagged within a sliding window and says when too many were flagged at once.</summary>
internal sealed class BlastRadiusGuard(BlastRadiusOptions options)
{
    private readonly Dictionary<string, RiskAssessment> _flags = new(StringComparer.Ordinal);

    /// <summary>Adds the pass's newly flagged hosts; returns the trip when the limit is exceeded, null otherwise.</summary>
    public BlastRadiusTrip? Observe(IEnumerable<RiskAssessment> newlyFlagged, int watchedHosts, DateTimeOffset now)
    {
        foreach (var flag in newlyFlagged)
        {
            _flags[flag.Host] = flag;
        }

        foreach (var old in _flags.Where(f => f.Value.AssessedAt <= now - options.BlastRadiusWindow).Select(f => f.Key).ToList())
        {
            _flags.Remove(old);
        }

        var count = _flags.Count;
        if (count < options.BlastRadiusMinHosts || count <= options.BlastRadiusMaxShare * watchedHosts)
        {
            return null;
        }

        var top = _flags.Values.OrderByDescending(f => f.Probability).ThenBy(f => f.Host, StringComparer.Ordinal).Take(5).ToList();
        return new BlastRadiusTrip(count, watchedHosts, options.BlastRadiusMaxShare, options.BlastRadiusWindow, now, top);
    }

    /// <summary>An operator resumed: the flags counted so far are accepted and do not count again.</summary>
    public void Acknowledge() => _flags.Clear();
}
