using Predictor.Core.Inventory;
using Predictor.Core.Risk;
using Predictor.Daemon.State;

namespace Predictor.Daemon.Pipeline;

/// <summary>
/// Hosts at risk: no new placements, evacuated. Each is kept with the assessment that first flagged it (its evidence,
/// probability and time, for the API and the stuck-evacuation watch). Bounded by the number of hosts.
/// </summary>
public sealed class QuarantineSet
{
    private readonly Dictionary<string, RiskAssessment> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Release> _released = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly DaemonStateStore? _store;

    public QuarantineSet()
    {
    }

    /// <summary>A set kept in <paramref name="store"/>: what it held when the daemon stopped is quarantined (or released) again.</summary>
    public QuarantineSet(DaemonStateStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        foreach (var assessment in store.Quarantined())
        {
            _hosts[assessment.Host] = assessment;
        }

        foreach (var (host, release) in store.Released())
        {
            _released[host] = release;
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _hosts.Count;
            }
        }
    }

    /// <summary>The quarantined hosts with the assessment that flagged them; a copy, safe to read from any thread.</summary>
    public IReadOnlyDictionary<string, RiskAssessment> Snapshot()
    {
        lock (_gate)
        {
            return new Dictionary<string, RiskAssessment>(_hosts, StringComparer.Ordinal);
        }
    }

    public bool Contains(string host)
    {
        lock (_gate)
        {
            return _hosts.ContainsKey(host);
        }
    }

    /// <summary>Quarantines the host; false when it already was.</summary>
    public bool Add(RiskAssessment assessment)
    {
        lock (_gate)
        {
            if (!_hosts.TryAdd(assessment.Host, assessment))
            {
                return false;
            }

            _released.Remove(assessment.Host);
            _store?.SaveQuarantine(assessment);
            return true;
        }
    }

    /// <summary>
    /// An operator's release: the host takes placements again. Returns the assessment it was quarantined on, or null when
    /// it was not quarantined. Until <paramref name="hold"/> has passed, <see cref="Holds"/> keeps it from being flagged
    /// again unless its odds of failure rise well above those it had (the higher of its flagged and <paramref name="current"/> probability).
    /// </summary>
    public RiskAssessment? Release(string host, string reason, DateTimeOffset at, TimeSpan hold, double? current = null)
    {
        lock (_gate)
        {
            if (!_hosts.Remove(host, out var flagged))
            {
                return null;
            }

            var release = _released[host] = new Release(at, at + hold, Math.Max(flagged.Probability, current ?? 0), reason);
            _store?.SaveRelease(host, release);
            return flagged;
        }
    }

    /// <summary>Odds of failure a released host must reach, against those it was released at, to be quarantined again within its hold.</summary>
    public const double OddsRiseToFlagAgain = 10;

    /// <summary>
    /// True when a released host's new assessment is within its hold and its odds of failure have not risen
    /// <see cref="OddsRiseToFlagAgain"/>-fold since the release (near certainty, a model's scores jitter in the third
    /// decimal; that is not new evidence).
    /// </summary>
    public bool Holds(RiskAssessment assessment)
    {
        lock (_gate)
        {
            return _released.TryGetValue(assessment.Host, out var release) && assessment.AssessedAt < release.Until
                && LogOdds(assessment.Probability) < LogOdds(release.Probability) + Math.Log(OddsRiseToFlagAgain);
        }
    }

    private static double LogOdds(double p)
    {
        p = Math.Clamp(p, 1e-9, 1 - 1e-9);
        return Math.Log(p / (1 - p));
    }

    /// <summary>Hosts an operator released, with when, why and until when they are held from quarantine.</summary>
    public IReadOnlyDictionary<string, Release> Released()
    {
        lock (_gate)
        {
            return new Dictionary<string, Release>(_released, StringComparer.Ordinal);
        }
    }

    /// <summary>The states to lay over the hypervisors' inventory: quarantined, unless the host has failed since.</summary>
    public Dictionary<string, HostState> StatesOver(DatacenterInventory inventory)
    {
        lock (_gate)
        {
            return _hosts.Keys
                .Where(h => !inventory.TryGetHost(h, out var host) || host.State != HostState.Failed)
                .ToDictionary(h => h, _ => HostState.Quarantined, StringComparer.Ordinal);
        }
    }
}

/// <summary>An operator's release of a quarantined host: when, until when it is held from quarantine on the same probability, and why.</summary>
public sealed record Release(DateTimeOffset At, DateTimeOffset Until, double Probability, string Reason);
