using Predictor.Core.Inventory;
using Predictor.Core.Risk;

namespace Predictor.Daemon.Pipeline;

/// <summary>
/// Hosts at risk: no new placements, evacuated. Each is kept with the assessment that first flagged it (its evidence,
/// probability and time, for the API and the stuck-evacuation watch). Bounded by the number of hosts.
/// </summary>
public sealed class QuarantineSet
{
    private readonly Dictionary<string, RiskAssessment> _hosts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

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
            return _hosts.TryAdd(assessment.Host, assessment);
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
