using Predictor.Core.Inventory;
using Predictor.Core.Risk;
using Predictor.Daemon.State;

namespace Predictor.Daemon.Pipeline;

/// <summary>
/// Hosts at risk: no new placements, evacuated. Each is kept with the assessment that first flagged it (its evidence,
/// probability and time, for the API and the stuck-evacuation watch). A host leaves it when an operator releases it, when
/// a recorded repair is followed by enough clean assessments, or when it is decommissioned (then it takes no VM ever
/// again and what it still holds is evacuated). Bounded by the number of hosts. Every change is written to the store
/// first, then applied: a write the store refused changes nothing.
/// </summary>
public sealed class QuarantineSet
{
    private readonly Dictionary<string, RiskAssessment> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Release> _released = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RepairRecord> _repairs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Decommission> _decommissioned = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly DaemonStateStore? _store;

    public QuarantineSet()
    {
    }

    /// <summary>
    /// A set kept in <paramref name="store"/>: what it held when the daemon stopped is quarantined (or released) again; a
    /// shared store is read when the daemon takes over or passes as a standby (<see cref="Reload"/>), not here.
    /// </summary>
    public QuarantineSet(DaemonStateStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        if (!store.IsShared)
        {
            Reload();
        }
    }

    /// <summary>Takes the store's quarantines, releases, pending repairs and decommissions as they are now (another daemon may have changed them).</summary>
    public void Reload()
    {
        if (_store is null)
        {
            return;
        }

        var quarantined = _store.Quarantined();
        var released = _store.Released();
        var repairs = _store.Repairs();
        var decommissioned = _store.Decommissioned();
        lock (_gate)
        {
            _hosts.Clear();
            _released.Clear();
            _repairs.Clear();
            _decommissioned.Clear();
            foreach (var assessment in quarantined)
            {
                _hosts[assessment.Host] = assessment;
            }

            foreach (var (host, release) in released)
            {
                _released[host] = release;
            }

            // the newest repair of each host still quarantined counts, if it came after the host was flagged
            foreach (var repair in repairs.Where(r => r.ReleasedAt is null && _hosts.TryGetValue(r.Host, out var flagged) && r.At >= flagged.AssessedAt))
            {
                _repairs[repair.Host] = repair;
            }

            foreach (var (host, decommission) in decommissioned)
            {
                _decommissioned[host] = decommission;
            }
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

    /// <summary>Quarantines the host; false when it already was (or is decommissioned).</summary>
    public bool Add(RiskAssessment assessment)
    {
        lock (_gate)
        {
            if (_hosts.ContainsKey(assessment.Host) || _decommissioned.ContainsKey(assessment.Host))
            {
                return false;
            }

            _store?.SaveQuarantine(assessment);
            _hosts[assessment.Host] = assessment;
            _released.Remove(assessment.Host);
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
            if (!_hosts.TryGetValue(host, out var flagged))
            {
                return null;
            }

            var release = new Release(at, at + hold, Math.Max(flagged.Probability, current ?? 0), reason);
            _store?.SaveRelease(host, release);
            _hosts.Remove(host);
            _released[host] = release;
            if (_repairs.Remove(host, out var repair))
            {
                // the repair that led here (or one an operator's release overtook) is done
                _store?.SaveRepair(repair with { ReleasedAt = at });
            }

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

    /// <summary>The states to lay over the hypervisors' inventory: decommissioned, or quarantined unless the host has failed since.</summary>
    public Dictionary<string, HostState> StatesOver(DatacenterInventory inventory)
    {
        lock (_gate)
        {
            var states = _hosts.Keys
                .Where(h => !inventory.TryGetHost(h, out var host) || host.State != HostState.Failed)
                .ToDictionary(h => h, _ => HostState.Quarantined, StringComparer.Ordinal);
            foreach (var host in _decommissioned.Keys)
            {
                states[host] = HostState.Decommissioned;
            }

            return states;
        }
    }

    /// <summary>
    /// Records that a quarantined host was repaired: from now on its clean assessments count towards its release. Returns
    /// the record, or null when the host is not quarantined.
    /// </summary>
    public RepairRecord? RecordRepair(string host, DateTimeOffset at, string reason, string by)
    {
        lock (_gate)
        {
            if (!_hosts.ContainsKey(host))
            {
                return null;
            }

            var repair = new RepairRecord(host, at, reason, by);
            _store?.SaveRepair(repair);
            _repairs[host] = repair;
            return repair;
        }
    }

    /// <summary>Quarantined hosts with a repair recorded since they were flagged, and their clean assessments so far.</summary>
    public IReadOnlyDictionary<string, RepairRecord> Repairs()
    {
        lock (_gate)
        {
            return new Dictionary<string, RepairRecord>(_repairs, StringComparer.Ordinal);
        }
    }

    /// <summary>Counts one more assessment of a repaired host (clean or not: one that is not starts the count again).</summary>
    internal RepairRecord? CountAssessment(string host, bool clean)
    {
        lock (_gate)
        {
            if (!_repairs.TryGetValue(host, out var repair))
            {
                return null;
            }

            var counted = repair with { CleanAssessments = clean ? repair.CleanAssessments + 1 : 0 };
            if (counted != repair)
            {
                _store?.SaveRepair(counted);
                _repairs[host] = counted;
            }

            return counted;
        }
    }

    /// <summary>
    /// Takes a host out of service for good: it leaves the quarantine (if it was in it), takes no VM again, and what it still
    /// holds is evacuated. Returns false when it was decommissioned already.
    /// </summary>
    public bool Decommission(Decommission decommission)
    {
        ArgumentNullException.ThrowIfNull(decommission);
        lock (_gate)
        {
            if (_decommissioned.ContainsKey(decommission.Host))
            {
                return false;
            }

            _store?.SaveDecommission(decommission);
            _decommissioned[decommission.Host] = decommission;
            _hosts.Remove(decommission.Host);
            _released.Remove(decommission.Host);
            _repairs.Remove(decommission.Host);
            return true;
        }
    }

    /// <summary>Hosts taken out of service for good, with when, why and by whom.</summary>
    public IReadOnlyDictionary<string, Decommission> Decommissioned()
    {
        lock (_gate)
        {
            return new Dictionary<string, Decommission>(_decommissioned, StringComparer.Ordinal);
        }
    }
}

/// <summary>An operator's release of a quarantined host: when, until when it is held from quarantine on the same probability, and why.</summary>
public sealed record Release(DateTimeOffset At, DateTimeOffset Until, double Probability, string Reason);
