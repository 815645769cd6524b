using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Planning.Model;

namespace Predictor.Planning.Validation;

/// <summary>
/// Checks a plan against its request independently of how it was made, at every moment of the schedule
/// (a sweep over move start and end events, ends before starts at the same instant): capacity on every host
/// (a moving VM holds it on both hosts; memory never over the host's memory; a host that receives stays within
/// headroom and the vCPU overcommit), anti-affinity spread, CPU generation for live moves, the three
/// concurrency limits, allowed destinations, every VM of an at-risk host accounted for, no VM moved twice at
/// once, maintenance steps (empty host for the live-migration rung, only capable VMs in memory-preserving
/// maintenance, nothing moving to or from a host under maintenance) and update domains one at a time.
/// </summary>
public static class PlanValidator
{
    private const double Epsilon = 1e-6;

    /// <summary>Every violation found; empty when the plan is safe.</summary>
    public static IReadOnlyList<PlanViolation> Validate(PlanRequest request, MaintenancePlan plan)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(plan);
        var violations = new List<PlanViolation>();
        var inventory = request.Inventory;
        var atRisk = new HashSet<string>(request.AtRisk.Select(a => a.Host), StringComparer.Ordinal);
        var moves = CheckMoves(request, plan, atRisk, violations);
        CheckSequences(inventory, moves, violations);
        CheckAccounting(inventory, plan, atRisk, moves, violations);
        Sweep(request, moves, violations);
        MaintenanceChecks.Check(request, plan, moves, violations);
        return violations;
    }

    /// <summary>The moves that refer to known VMs and hosts with sane times (the others are reported and left out).</summary>
    private static List<Move> CheckMoves(PlanRequest request, MaintenancePlan plan, HashSet<string> atRisk, List<PlanViolation> violations)
    {
        var inventory = request.Inventory;
        var moves = new List<Move>(plan.Migrations.Length);
        var maxDowntimeMs = request.Options.MaxDowntime.TotalMilliseconds;
        for (var i = 0; i < plan.Migrations.Length; i++)
        {
            var m = plan.Migrations[i];
            var at = $"migrations[{i}] (VM {m.Vm} {m.From}→{m.To})";
            var known = true;
            if (!inventory.TryGetVm(m.Vm, out var vm))
            {
                violations.Add(new("accounting", $"{at}: unknown VM '{m.Vm}'"));
                known = false;
            }

            if (!inventory.TryGetHost(m.From, out var from))
            {
                violations.Add(new("destination", $"{at}: unknown source host '{m.From}'"));
                known = false;
            }

            if (!inventory.TryGetHost(m.To, out var to))
            {
                violations.Add(new("destination", $"{at}: unknown destination host '{m.To}'"));
                known = false;
            }

            if (!(double.IsFinite(m.StartS) && double.IsFinite(m.EndS) && m.StartS >= 0 && m.EndS >= m.StartS))
            {
                violations.Add(new("timing", $"{at}: times must be finite with 0 ≤ startS ≤ endS, got {m.StartS}..{m.EndS}"));
                known = false;
            }

            if (!known)
            {
                continue;
            }

            if (m.From == m.To)
            {
                violations.Add(new("destination", $"{at}: source and destination are the same host"));
            }

            if (!to.AcceptsPlacements || atRisk.Contains(to.Id))
            {
                var state = atRisk.Contains(to.Id) ? "at risk" : to.State.ToString().ToLowerInvariant();
                violations.Add(new("destination", $"{at}: destination {to.Id} is {state} and may not receive VMs"));
            }

            if (m.Kind == MigrationKind.Live)
            {
                if (!vm.LiveMigratable)
                {
                    violations.Add(new("generation", $"{at}: VM {vm.Id} cannot live-migrate (series '{vm.Series}') but the move is live"));
                }

                if (to.CpuGeneration < from.CpuGeneration)
                {
                    violations.Add(new("generation", $"{at}: live migration from CPU generation {from.CpuGeneration} to older generation {to.CpuGeneration}"));
                }

                if (m.EstimatedDowntimeMs > maxDowntimeMs + Epsilon)
                {
                    violations.Add(new("timing", $"{at}: estimated downtime {m.EstimatedDowntimeMs:0.###} ms exceeds the {maxDowntimeMs:0.###} ms limit"));
                }
            }

            moves.Add(new Move(i, vm, from, to, m.StartS, m.EndS));
        }

        return moves;
    }

    private static void CheckSequences(DatacenterInventory inventory, List<Move> moves, List<PlanViolation> violations)
    {
        foreach (var group in moves.GroupBy(m => m.Vm.Id, StringComparer.Ordinal))
        {
            var ordered = group.OrderBy(m => m.StartS).ThenBy(m => m.Index).ToList();
            var expected = inventory.GetVm(group.Key).Host;
            Move? previous = null;
            foreach (var move in ordered)
            {
                if (previous is not null && move.StartS < previous.EndS - Epsilon)
                {
                    violations.Add(new("sequence", $"VM {move.Vm.Id} is moved twice at once: migrations[{previous.Index}] ({previous.StartS:0.###}..{previous.EndS:0.###} s) overlaps migrations[{move.Index}] ({move.StartS:0.###}..{move.EndS:0.###} s)"));
                }

                if (move.From.Id != expected)
                {
                    violations.Add(new("sequence", $"migrations[{move.Index}]: VM {move.Vm.Id} leaves {move.From.Id} but is on {expected} at {move.StartS:0.###} s"));
                }

                expected = move.To.Id;
                previous = move;
            }
        }
    }

    private static void CheckAccounting(DatacenterInventory inventory, MaintenancePlan plan, HashSet<string> atRisk, List<Move> moves, List<PlanViolation> violations)
    {
        var lastMove = new Dictionary<string, Move>(StringComparer.Ordinal);
        foreach (var move in moves)
        {
            if (!lastMove.TryGetValue(move.Vm.Id, out var last) || move.StartS >= last.StartS)
            {
                lastMove[move.Vm.Id] = move;
            }
        }

        var unplaced = new Dictionary<string, UnplacedVm>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Unplaced.Length; i++)
        {
            var u = plan.Unplaced[i];
            if (!inventory.TryGetVm(u.Vm, out _))
            {
                violations.Add(new("accounting", $"unplaced[{i}]: unknown VM '{u.Vm}'"));
            }

            if (string.IsNullOrWhiteSpace(u.Reason))
            {
                violations.Add(new("accounting", $"unplaced[{i}]: VM {u.Vm} has no reason"));
            }

            unplaced[u.Vm] = u;
        }

        foreach (var host in atRisk)
        {
            if (!inventory.TryGetHost(host, out _))
            {
                violations.Add(new("accounting", $"at-risk host '{host}' is not in the inventory"));
                continue;
            }

            foreach (var vm in inventory.VmsOn(host))
            {
                var moved = lastMove.TryGetValue(vm.Id, out var last);
                var left = unplaced.ContainsKey(vm.Id);
                if (!moved && !left)
                {
                    violations.Add(new("accounting", $"VM {vm.Id} on at-risk host {host} is neither migrated nor listed as unplaced"));
                }
                else if (moved && left)
                {
                    violations.Add(new("accounting", $"VM {vm.Id} on at-risk host {host} is both migrated and listed as unplaced"));
                }
                else if (moved && atRisk.Contains(last!.To.Id))
                {
                    violations.Add(new("accounting", $"VM {vm.Id} ends on at-risk host {last.To.Id}"));
                }
            }
        }
    }

    private static void Sweep(PlanRequest request, List<Move> moves, List<PlanViolation> violations)
    {
        var inventory = request.Inventory;
        var limits = request.Limits;
        var headroom = 1 - request.Options.HeadroomFraction;
        var usage = new Dictionary<string, (double Mem, double Vcpu, double Disk)>(StringComparer.Ordinal);
        foreach (var vm in inventory.Vms)
        {
            var u = usage.GetValueOrDefault(vm.Host);
            usage[vm.Host] = (u.Mem + vm.MemoryGiB, u.Vcpu + vm.Vcpus, u.Disk + vm.DiskGiB);
        }

        var spread = new SpreadTracker(inventory);
        var outbound = new Dictionary<string, int>(StringComparer.Ordinal);
        var inbound = new Dictionary<string, int>(StringComparer.Ordinal);
        var running = 0;
        var events = new List<(double Time, int Kind, Move Move)>(moves.Count * 2);
        foreach (var m in moves)
        {
            // Ends sort before starts at the same instant (a slot freed at t may be reused at t), except the end of
            // a zero-length move, which must follow its own start.
            events.Add((m.StartS, 1, m));
            events.Add((m.EndS, m.EndS > m.StartS ? 0 : 2, m));
        }

        events.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind) : a.Move.Index.CompareTo(b.Move.Index));
        foreach (var (time, kind, m) in events)
        {
            var vm = m.Vm;
            if (kind != 1)
            {
                var u = usage[m.From.Id];
                usage[m.From.Id] = (u.Mem - vm.MemoryGiB, u.Vcpu - vm.Vcpus, u.Disk - vm.DiskGiB);
                spread.Leave(vm, m.From);
                outbound[m.From.Id]--;
                inbound[m.To.Id]--;
                running--;
                continue;
            }

            var at = $"at {time:0.###} s (migrations[{m.Index}], VM {vm.Id} {m.From.Id}→{m.To.Id})";
            var d = usage.GetValueOrDefault(m.To.Id);
            d = (d.Mem + vm.MemoryGiB, d.Vcpu + vm.Vcpus, d.Disk + vm.DiskGiB);
            usage[m.To.Id] = d;
            var host = m.To;
            if (d.Mem > host.MemoryGiB + Epsilon)
            {
                violations.Add(new("capacity", $"{at}: {host.Id} memory overcommitted: {d.Mem:0.###} GiB of {host.MemoryGiB:0.###} GiB"));
            }
            else if (d.Mem > host.MemoryGiB * headroom + Epsilon)
            {
                violations.Add(new("capacity", $"{at}: {host.Id} memory {d.Mem:0.###} GiB exceeds {host.MemoryGiB * headroom:0.###} GiB (capacity less headroom)"));
            }

            if (d.Vcpu > host.Cores * limits.CpuOvercommit * headroom + Epsilon)
            {
                violations.Add(new("capacity", $"{at}: {host.Id} vCPUs {d.Vcpu:0.###} exceed {host.Cores * limits.CpuOvercommit * headroom:0.###} ({host.Cores} cores × overcommit {limits.CpuOvercommit} less headroom)"));
            }

            if (d.Disk > host.DiskGiB * headroom + Epsilon)
            {
                violations.Add(new("capacity", $"{at}: {host.Id} disk {d.Disk:0.###} GiB exceeds {host.DiskGiB * headroom:0.###} GiB (capacity less headroom)"));
            }

            if (spread.Arrive(vm, host) is { } broken)
            {
                violations.Add(new("anti-affinity", $"{at}: {broken}"));
            }

            var o = outbound[m.From.Id] = outbound.GetValueOrDefault(m.From.Id) + 1;
            var n = inbound[m.To.Id] = inbound.GetValueOrDefault(m.To.Id) + 1;
            running++;
            if (o > limits.MaxOutboundPerHost)
            {
                violations.Add(new("concurrency", $"{at}: {o} concurrent migrations out of {m.From.Id}, limit {limits.MaxOutboundPerHost}"));
            }

            if (n > limits.MaxInboundPerHost)
            {
                violations.Add(new("concurrency", $"{at}: {n} concurrent migrations into {m.To.Id}, limit {limits.MaxInboundPerHost}"));
            }

            if (running > limits.MaxConcurrent)
            {
                violations.Add(new("concurrency", $"{at}: {running} concurrent migrations in the datacenter, limit {limits.MaxConcurrent}"));
            }
        }
    }

    internal sealed record Move(int Index, Vm Vm, Host From, Host To, double StartS, double EndS);

    /// <summary>Distinct VMs of each anti-affinity group present in each fault domain (a moving VM is present on both sides).</summary>
    private sealed class SpreadTracker
    {
        private readonly Dictionary<(string Group, int Fd), int> _count = [];
        private readonly Dictionary<(string Vm, int Fd), int> _presence = [];
        private readonly Dictionary<(string Group, int Fd), int> _allowed = [];
        private readonly Dictionary<string, int> _limit = new(StringComparer.Ordinal);

        public SpreadTracker(DatacenterInventory inventory)
        {
            var fds = Math.Max(1, inventory.Hosts.Select(h => h.FaultDomain).Distinct().Count());
            foreach (var g in inventory.Vms.Where(v => v.AntiAffinityGroup is not null).GroupBy(v => v.AntiAffinityGroup!, StringComparer.Ordinal))
            {
                _limit[g.Key] = AntiAffinityRule.PerFaultDomainLimit(g.Count(), fds);
                foreach (var vm in g)
                {
                    var fd = inventory.GetHost(vm.Host).FaultDomain;
                    _presence[(vm.Id, fd)] = 1;
                    _count[(g.Key, fd)] = _count.GetValueOrDefault((g.Key, fd)) + 1;
                }
            }

            foreach (var (key, count) in _count)
            {
                _allowed[key] = Math.Max(_limit[key.Group], count);
            }
        }

        public string? Arrive(Vm vm, Host host)
        {
            if (vm.AntiAffinityGroup is not { } group)
            {
                return null;
            }

            var key = (vm.Id, host.FaultDomain);
            var present = _presence[key] = _presence.GetValueOrDefault(key) + 1;
            if (present > 1)
            {
                return null;
            }

            var count = _count[(group, host.FaultDomain)] = _count.GetValueOrDefault((group, host.FaultDomain)) + 1;
            var allowed = _allowed.GetValueOrDefault((group, host.FaultDomain), _limit[group]);
            return count > allowed
                ? $"anti-affinity group '{group}' would have {count} VMs in fault domain {host.FaultDomain} (on {host.Id}), at most {allowed} allowed"
                : null;
        }

        public void Leave(Vm vm, Host host)
        {
            if (vm.AntiAffinityGroup is not { } group)
            {
                return;
            }

            var key = (vm.Id, host.FaultDomain);
            var present = _presence[key] = _presence[key] - 1;
            if (present == 0)
            {
                _count[(group, host.FaultDomain)]--;
            }
        }
    }
}
