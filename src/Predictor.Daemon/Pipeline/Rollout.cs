using System.Collections.Immutable;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;

namespace Predictor.Daemon.Pipeline;

/// <summary>
/// The rolling update across the datacenter: which updates are pending, which hosts are being updated
/// now, and which update domain is current. Each pass offers the planner only the current domain's
/// updates that are not yet under way, so every host is planned once and the next domain starts when
/// the current one is done. An update step that fails twice on a host stops the rollout (a health
/// failure) until an operator clears it; evacuations go on regardless.
/// </summary>
internal sealed class Rollout(IEnumerable<HostUpdate> pending)
{
    /// <summary>Failed update steps a host may have before its failure stops the rollout.</summary>
    public const int AttemptsBeforeHalt = 2;

    private readonly Dictionary<string, HostUpdate> _pending = pending
        .GroupBy(u => u.Host, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Aggregate((a, b) => new HostUpdate(a.Host, a.UpdateId + "+" + b.UpdateId, a.Kind > b.Kind ? a.Kind : b.Kind)), StringComparer.Ordinal);

    private readonly HashSet<string> _underWay = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly List<string> _healthFailed = [];
    private readonly Dictionary<string, int> _domains = new(StringComparer.Ordinal);

    /// <summary>Updates not yet applied nor handed to owners.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Hosts whose update step is scheduled or running: they take no new VMs.</summary>
    public IReadOnlyCollection<string> UnderWay => _underWay;

    /// <summary>Hosts whose update failed <see cref="AttemptsBeforeHalt"/> times; while any is listed no update is planned.</summary>
    public ImmutableArray<string> HealthFailed => [.. _healthFailed];

    /// <summary>The update domain being rolled out, null when nothing is pending.</summary>
    public int? CurrentDomain { get; private set; }

    public HostUpdate? Get(string host) => _pending.GetValueOrDefault(host);

    /// <summary>The update ids of hosts under way (for the executor's updater and journal).</summary>
    public IReadOnlyDictionary<string, string> UpdateIds() =>
        _pending.Where(p => _underWay.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value.UpdateId, StringComparer.Ordinal);

    /// <summary>A host at risk, failed or gone is evacuated or written off, not updated in place.</summary>
    public void Drop(string host)
    {
        _pending.Remove(host);
        _underWay.Remove(host);
    }

    /// <summary>Learns from finished host steps; returns the hosts whose failure has just stopped the rollout.</summary>
    public IReadOnlyList<string> Observe(IEnumerable<ExecutionOutcome> finished)
    {
        var halted = new List<string>();
        foreach (var outcome in finished)
        {
            if (outcome.Kind is not (StepKind.HotPatch or StepKind.HotRestart or StepKind.MemoryPreserving or StepKind.HostUpdate) || !_underWay.Remove(outcome.Target))
            {
                continue;
            }

            if (outcome.Succeeded)
            {
                _pending.Remove(outcome.Target);
                _failures.Remove(outcome.Target);
            }
            else if (outcome.Failure == FailureKind.Aborted)
            {
                // stopped by an operator's kill switch, not by the host: planned again, not counted against it
            }
            else if ((_failures[outcome.Target] = _failures.GetValueOrDefault(outcome.Target) + 1) >= AttemptsBeforeHalt && !_healthFailed.Contains(outcome.Target))
            {
                _healthFailed.Add(outcome.Target);
                halted.Add(outcome.Target);
            }
        }

        return halted;
    }

    /// <summary>Hosts taken off "under way" without an outcome (their step was dropped before it started); they are offered again.</summary>
    public void Release(IEnumerable<string> hosts)
    {
        foreach (var host in hosts)
        {
            _underWay.Remove(host);
        }
    }

    /// <summary>Lets the rollout go on after an operator has looked at the failed hosts.</summary>
    public IReadOnlyList<string> ClearHealthFailures()
    {
        var cleared = _healthFailed.ToList();
        _healthFailed.Clear();
        foreach (var host in cleared)
        {
            _failures.Remove(host);
        }

        return cleared;
    }

    /// <summary>
    /// The current update domain's updates that can be planned now: the host is active, not under way,
    /// and neither it nor its VMs are busy with another step.
    /// </summary>
    public ImmutableArray<HostUpdate> Offer(DatacenterInventory inventory, Func<string, bool> busy)
    {
        foreach (var host in _pending.Keys.Where(h => !inventory.TryGetHost(h, out var found) || found.State is HostState.Failed or HostState.Quarantined).ToList())
        {
            Drop(host);
        }

        foreach (var host in _pending.Keys)
        {
            _domains[host] = inventory.GetHost(host).UpdateDomain;
        }

        CurrentDomain = _pending.Count == 0 ? null : _pending.Keys.Min(h => _domains[h]);
        if (CurrentDomain is not { } domain)
        {
            return [];
        }

        return [.. _pending.Values
            .Where(u => inventory.GetHost(u.Host) is { State: HostState.Active } host && host.UpdateDomain == domain)
            .Where(u => !_underWay.Contains(u.Host) && !busy(u.Host) && !inventory.VmsOn(u.Host).Any(v => busy(v.Id)))
            .OrderBy(u => u.Host, StringComparer.Ordinal)];
    }

    /// <summary>Pending updates of later update domains: the planner keeps VMs off those hosts when it can.</summary>
    public ImmutableArray<HostUpdate> Later() =>
        CurrentDomain is { } domain ? [.. _pending.Values.Where(u => !_underWay.Contains(u.Host) && _domains.GetValueOrDefault(u.Host, domain) != domain)] : [];

    /// <summary>Records what the plan decided for a host: an executed step puts it under way; self-service hands it to its owners.</summary>
    public void Planned(MaintenanceStep step)
    {
        if (step.Action == MaintenanceAction.SelfService)
        {
            _pending.Remove(step.Host);
        }
        else if (_pending.ContainsKey(step.Host))
        {
            _underWay.Add(step.Host);
        }
    }
}
