using System.Collections.Immutable;
using System.Globalization;
using Predictor.Core.Alerts;
using Predictor.Core.Inventory;
using Predictor.Core.Risk;

namespace Predictor.Daemon.Pipeline;

/// <summary>
/// Pages when a quarantined host still holds VMs long after it was flagged (no room, failed moves, an open
/// circuit breaker): the evacuation is stuck and people must act. One alert per host, resolved when the
/// host is empty or gone.
/// </summary>
internal sealed class EvacuationWatch(TimeSpan stuckAfter)
{
    private readonly Dictionary<string, string> _why = new(StringComparer.Ordinal);
    private readonly HashSet<string> _firing = new(StringComparer.Ordinal);

    /// <summary>Remembers why a VM could not be placed, for the alert's text.</summary>
    public void Unplaced(string vm, string reason) => _why[vm] = reason;

    /// <summary>Alerts to publish now: newly stuck evacuations and resolved ones.</summary>
    public List<Alert> Check(DatacenterInventory inventory, IReadOnlyDictionary<string, RiskAssessment> flagged, DateTimeOffset now)
    {
        var alerts = new List<Alert>();
        foreach (var host in flagged.Keys)
        {
            if (!inventory.TryGetHost(host, out var h) || h.State == HostState.Failed || !flagged.TryGetValue(host, out var flag))
            {
                continue;
            }

            var left = inventory.VmsOn(host);
            if (left.IsEmpty || now - flag.AssessedAt < stuckAfter || !_firing.Add(host))
            {
                continue;
            }

            var reasons = left.Take(3).Select(v => _why.TryGetValue(v.Id, out var why) ? $"{v.Id}: {why}" : $"{v.Id}: not moved yet (see the failed steps)");
            alerts.Add(Alert.Raise(
                AlertConditions.EvacuationStuck, host,
                string.Create(CultureInfo.InvariantCulture,
                    $"Host {host} was flagged at risk {(now - flag.AssessedAt).TotalHours:0.#} h ago (p={flag.Probability:0.00}) and still holds {left.Length} VMs; {string.Join("; ", reasons)}{(left.Length > 3 ? $"; and {left.Length - 3} more" : "")}"),
                now, ImmutableDictionary<string, string>.Empty
                    .Add("vms", string.Join(",", left.Select(v => v.Id)))
                    .Add("flaggedAt", flag.AssessedAt.ToString("o", CultureInfo.InvariantCulture))));
        }

        foreach (var host in _firing.ToList())
        {
            if (!inventory.TryGetHost(host, out var h) || h.State == HostState.Failed || inventory.VmsOn(host).IsEmpty)
            {
                _firing.Remove(host);
                alerts.Add(Alert.Raise(
                    AlertConditions.EvacuationStuck, host,
                    h is null || h.State == HostState.Failed ? $"Host {host} has failed; its evacuation is over" : $"Host {host} is empty: its evacuation finished",
                    now, resolved: true));
            }
        }

        return alerts;
    }
}
