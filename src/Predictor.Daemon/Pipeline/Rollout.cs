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

    private readonly HostUpdate[] _listed = [.. pending];
    private readonly Dictionary<string, HostUpdate> _pending = Merge(pending);

    private readonly HashSet<string> _underWay = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly List<string> _healthFailed = [];
    private readonly Dictionary<string, int> _domains = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _ended = new(StringComparer.Ordinal);
    private readonly Dictionary<MaintenanceAction, int> _rungs = [];
    private readonly Dictionary<string, HostUpdate> _droppedUpdates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _withOwners = new(StringComparer.Ordinal);
    private readonly HashSet<string> _due = new(StringComparer.Ordinal);

    /// <summary>The datacenter's pending updates by host, a host's several updates merged into one.</summary>
    private static Dictionary<string, HostUpdate> Merge(IEnumerable<HostUpdate> updates) => updates
        .GroupBy(u => u.Host, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Aggregate((a, b) => new HostUpdate(a.Host, a.UpdateId + "+" + b.UpdateId, a.Kind > b.Kind ? a.Kind : b.Kind)), StringComparer.Ordinal);

    /// <summary>Told of every change a restarted daemon must know: an update applied, a host halting the rollout or cleared, a host handed to its owners.</summary>
    public Action<RolloutRecord>? Changed { get; set; }

    /// <summary>
    /// Takes back what a previous process recorded (<see cref="Changed"/>): applied updates leave the pending list, halted
    /// hosts stop the rollout again, hosts with their owners wait again. A record about another update of the host (a new
    /// one since) is ignored.
    /// </summary>
    public void Restore(IEnumerable<RolloutRecord> records)
    {
        foreach (var record in records)
        {
            if (!_pending.TryGetValue(record.Host, out var update) || update.UpdateId != record.UpdateId)
            {
                continue;
            }

            switch (record.State)
            {
                case RolloutState.Applied:
                    _pending.Remove(record.Host);
                    _ended[record.Host] = RolloutState.Applied;
                    break;
                case RolloutState.Halted when !_healthFailed.Contains(record.Host):
                    _healthFailed.Add(record.Host);
                    _failures[record.Host] = AttemptsBeforeHalt;
                    break;
                case RolloutState.WithOwners when record.Until is { } until:
                    _withOwners[record.Host] = until;
                    break;
            }
        }
    }

    /// <summary>
    /// Starts over from the datacenter's pending updates and takes back <paramref name="records"/>: what a daemon taking over
    /// from another leader (or a standby showing the rollout) knows, since the other may have applied, halted or cleared since.
    /// </summary>
    public void Reset(IEnumerable<RolloutRecord> records)
    {
        _pending.Clear();
        foreach (var (host, update) in Merge(_listed))
        {
            _pending[host] = update;
        }

        _underWay.Clear();
        _failures.Clear();
        _healthFailed.Clear();
        _domains.Clear();
        _ended.Clear();
        _rungs.Clear();
        _droppedUpdates.Clear();
        _withOwners.Clear();
        _due.Clear();
        CurrentDomain = null;
        Restore(records);
    }

    /// <summary>Updates not yet applied (those waiting for their owners' moment included).</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Hosts on the self-service rung waiting for their owners' moment, with the end of their window.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> WithOwners => _withOwners;

    /// <summary>A waiting host's moment has come (its owners approved, their chosen time is here, or the window closed): it is offered again, its staying VMs approved.</summary>
    public void MarkDue(string host)
    {
        if (_withOwners.ContainsKey(host))
        {
            _due.Add(host);
        }
    }

    /// <summary>Hosts whose self-service moment has come, offered this pass.</summary>
    public IReadOnlyCollection<string> Due => _due;

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
        if (_pending.Remove(host, out var update))
        {
            _ended[host] = RolloutState.Dropped;
            _droppedUpdates[host] = update;
        }

        _underWay.Remove(host);
        if (_withOwners.Remove(host) | _healthFailed.Remove(host))
        {
            Changed?.Invoke(new RolloutRecord(host, "", RolloutState.Pending, null));
        }

        _due.Remove(host);
    }

    /// <summary>A dropped host is back (an operator released it from quarantine): its update is pending again. False when it had none.</summary>
    public bool Restore(string host)
    {
        if (!_droppedUpdates.Remove(host, out var update))
        {
            return false;
        }

        _pending[host] = update;
        _ended.Remove(host);
        return true;
    }

    /// <summary>Learns from finished host steps; returns the hosts whose failure has just stopped the rollout.</summary>
    public IReadOnlyList<string> Observe(IEnumerable<ExecutionOutcome> finished)
    {
        var halted = new List<string>();
        foreach (var outcome in finished)
        {
            if (outcome.Kind is not (StepKind.HotPatch or StepKind.HotRestart or StepKind.MemoryPreserving or StepKind.HostUpdate or StepKind.SelfService) || !_underWay.Remove(outcome.Target))
            {
                continue;
            }

            if (outcome.Succeeded)
            {
                if (_pending.Remove(outcome.Target, out var applied))
                {
                    Changed?.Invoke(new RolloutRecord(outcome.Target, applied.UpdateId, RolloutState.Applied, null));
                }

                _ended[outcome.Target] = RolloutState.Applied;
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
                Changed?.Invoke(new RolloutRecord(outcome.Target, _pending.GetValueOrDefault(outcome.Target)?.UpdateId ?? "", RolloutState.Halted, null));
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
            Changed?.Invoke(new RolloutRecord(host, "", RolloutState.Pending, null));
        }

        return cleared;
    }

    /// <summary>
    /// The current update domain's updates that can be planned now: the host is active, not under way,
    /// and neither it nor its VMs are busy with another step.
    /// </summary>
    public ImmutableArray<HostUpdate> Offer(DatacenterInventory inventory, Func<string, bool> busy)
    {
        foreach (var host in _pending.Keys.Where(h => !inventory.TryGetHost(h, out var found) || found.State is HostState.Failed or HostState.Quarantined or HostState.Decommissioned).ToList())
        {
            Drop(host);
        }

        foreach (var host in _pending.Keys)
        {
            _domains[host] = inventory.GetHost(host).UpdateDomain;
        }

        // hosts waiting for their owners do not hold the rollout back; once due they are offered whatever the domain
        var waiting = _pending.Keys.Where(h => _withOwners.ContainsKey(h) && !_due.Contains(h)).ToHashSet(StringComparer.Ordinal);
        var domains = _pending.Keys.Where(h => !waiting.Contains(h) && !_due.Contains(h)).Select(h => _domains[h]).ToList();
        CurrentDomain = domains.Count == 0 ? null : domains.Min();
        return [.. _pending.Values
            .Where(u => !waiting.Contains(u.Host))
            .Where(u => inventory.GetHost(u.Host) is { State: HostState.Active } host && (host.UpdateDomain == CurrentDomain || _due.Contains(u.Host)))
            .Where(u => !_underWay.Contains(u.Host) && !busy(u.Host) && !inventory.VmsOn(u.Host).Any(v => busy(v.Id)))
            .OrderBy(u => u.Host, StringComparer.Ordinal)];
    }

    /// <summary>Pending updates of later update domains: the planner keeps VMs off those hosts when it can.</summary>
    public ImmutableArray<HostUpdate> Later() =>
        CurrentDomain is { } domain ? [.. _pending.Values.Where(u => !_underWay.Contains(u.Host) && _domains.GetValueOrDefault(u.Host, domain) != domain)] : [];

    /// <summary>
    /// Records what the plan decided for a host: an executed step puts it under way; a self-service step not yet due hands
    /// it to its owners until <paramref name="windowEnd"/> (it stays pending, and is offered again once <see cref="MarkDue"/>).
    /// </summary>
    /// <returns>True when the host is handed to its VMs' owners (a self-service step not yet due); false when the step is executed now.</returns>
    public bool Planned(MaintenanceStep step, DateTimeOffset windowEnd)
    {
        _rungs[step.Action] = _rungs.GetValueOrDefault(step.Action) + 1;
        if (step.Action == MaintenanceAction.SelfService && !_due.Contains(step.Host))
        {
            if (_withOwners.TryAdd(step.Host, windowEnd) && _pending.TryGetValue(step.Host, out var waiting))
            {
                Changed?.Invoke(new RolloutRecord(step.Host, waiting.UpdateId, RolloutState.WithOwners, windowEnd));
            }

            return true;
        }

        _withOwners.Remove(step.Host);
        _due.Remove(step.Host);
        if (_pending.ContainsKey(step.Host))
        {
            _underWay.Add(step.Host);
        }

        return false;
    }

    /// <summary>Where the rollout stands, per update domain, and how often each rung was chosen.</summary>
    public LadderProgress Progress()
    {
        var domains = _domains
            .GroupBy(d => d.Value)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var states = g.Select(d => State(d.Key)).ToList();
                return new DomainProgress(
                    g.Key, states.Count, states.Count(s => s == RolloutState.Applied), states.Count(s => s == RolloutState.UnderWay),
                    states.Count(s => s == RolloutState.Pending), states.Count(s => s == RolloutState.Halted),
                    states.Count(s => s == RolloutState.WithOwners), states.Count(s => s == RolloutState.Dropped));
            });
        return new LadderProgress(CurrentDomain, [.. domains], _rungs.OrderBy(r => r.Key).ToDictionary(r => r.Key, r => r.Value), [.. _underWay.Order(StringComparer.Ordinal)], [.. _healthFailed]);
    }

    private string State(string host) =>
        _healthFailed.Contains(host) ? RolloutState.Halted
        : _underWay.Contains(host) ? RolloutState.UnderWay
        : _withOwners.ContainsKey(host) ? RolloutState.WithOwners
        : _pending.ContainsKey(host) ? RolloutState.Pending
        : _ended.GetValueOrDefault(host, RolloutState.Dropped);
}

/// <summary>
/// The rollout's progress: the current update domain, each domain's hosts by state, and how many times each rung of the
/// ladder was planned, the hosts under way and those whose failed update stopped the rollout. Hosts appear once the rollout has seen their domain.
/// </summary>
public sealed record LadderProgress(
    int? CurrentDomain, IReadOnlyList<DomainProgress> Domains, IReadOnlyDictionary<MaintenanceAction, int> Rungs, IReadOnlyList<string> UnderWay, IReadOnlyList<string> HaltedBy)
{
    public static LadderProgress None { get; } = new(null, [], new Dictionary<MaintenanceAction, int>(), [], []);
}

/// <summary>One update domain: hosts with an update, and how many are applied, under way, pending, halted by a failed update, handed to their VMs' owners, or dropped (at risk, failed or gone).</summary>
public sealed record DomainProgress(int Domain, int Hosts, int Applied, int UnderWay, int Pending, int Halted, int WithOwners, int Dropped);

/// <summary>Where one host's update stands in the rollout.</summary>
public static class RolloutState
{
    public const string Applied = "applied";
    public const string UnderWay = "under way";
    public const string Pending = "pending";
    public const string Halted = "halted";
    public const string WithOwners = "with owners";
    public const string Dropped = "dropped";
}

/// <summary>What a restarted daemon must know of one host's update: applied, halting the rollout, or with its owners until a time; <see cref="RolloutState.Pending"/> clears the record.</summary>
public sealed record RolloutRecord(string Host, string UpdateId, string State, DateTimeOffset? Until);
