using System.Collections.Immutable;
using Predictor.Core.Alerts;
using Predictor.Core.Inventory;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;

namespace Predictor.Daemon.Pipeline;

/// <summary>
/// Notices hosts that failed since the previous pass and names the VMs they took down: those the previous pass saw on
/// the host that had not left it by a finished move. One <see cref="AlertConditions.VmInterrupted"/> per failed host.
/// </summary>
internal sealed class InterruptionWatch
{
    private Dictionary<string, string> _placements = new(StringComparer.Ordinal);
    private HashSet<string> _failed = new(StringComparer.Ordinal);
    private bool _seen;

    public List<Alert> Check(DatacenterInventory inventory, IReadOnlyList<ExecutionOutcome> finished, DateTimeOffset now)
    {
        var alerts = new List<Alert>();
        var failed = inventory.Hosts.Where(h => h.State == HostState.Failed).Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        if (_seen)
        {
            var left = finished.Where(o => o.Succeeded && o.Kind is StepKind.LiveMigration or StepKind.ColdMigration)
                .Select(o => (o.Target, o.From)).ToHashSet();
            foreach (var host in failed.Where(h => !_failed.Contains(h)).Order(StringComparer.Ordinal))
            {
                var vms = _placements.Where(p => p.Value == host && !left.Contains((p.Key, host))).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
                if (vms.Count > 0)
                {
                    alerts.Add(Alert.Raise(
                        AlertConditions.VmInterrupted, host,
                        $"Host {host} failed with {vms.Count} VMs on it: {string.Join(", ", vms.Take(10))}{(vms.Count > 10 ? $" and {vms.Count - 10} more" : "")}; they were interrupted",
                        now, ImmutableDictionary<string, string>.Empty.Add("vms", string.Join(",", vms))));
                }
            }
        }

        _seen = true;
        _failed = failed;
        _placements = inventory.Vms.ToDictionary(v => v.Id, v => v.Host, StringComparer.Ordinal);
        return alerts;
    }
}
