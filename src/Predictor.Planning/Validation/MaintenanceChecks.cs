using Predictor.Core.Plans;

namespace Predictor.Planning.Validation;

/// <summary>
/// The maintenance half of <see cref="PlanValidator"/>: a host updated on the live-migration rung holds no VM
/// during its step; memory-preserving maintenance holds only VMs whose series supports it; a hot restart happens only on
/// a host whose hypervisor can and holds only VMs that can migrate; no VM moves to or
/// from a host during its step; update domains' steps never overlap in time.
/// </summary>
internal static class MaintenanceChecks
{
    private const double Epsilon = 1e-6;

    public static void Check(PlanRequest request, MaintenancePlan plan, List<PlanValidator.Move> moves, List<PlanViolation> violations)
    {
        if (plan.Maintenance.IsDefaultOrEmpty)
        {
            return;
        }

        var inventory = request.Inventory;
        var occupancy = Occupancy(request, moves);
        var movesByHost = new Dictionary<string, List<PlanValidator.Move>>(StringComparer.Ordinal);
        foreach (var m in moves)
        {
            Add(movesByHost, m.From.Id, m);
            Add(movesByHost, m.To.Id, m);
        }

        var domains = new Dictionary<int, (double Start, double End)>();
        for (var i = 0; i < plan.Maintenance.Length; i++)
        {
            var step = plan.Maintenance[i];
            var at = $"maintenance[{i}] ({step.Action} on {step.Host}, {step.StartS:0.###}..{step.EndS:0.###} s)";
            if (!inventory.TryGetHost(step.Host, out var host))
            {
                violations.Add(new("maintenance", $"{at}: unknown host '{step.Host}'"));
                continue;
            }

            if (!(double.IsFinite(step.StartS) && double.IsFinite(step.EndS) && step.StartS >= 0 && step.EndS >= step.StartS))
            {
                violations.Add(new("timing", $"{at}: times must be finite with 0 ≤ startS ≤ endS"));
                continue;
            }

            if (step.Action == MaintenanceAction.HotRestart && !host.HotRestartCapable)
            {
                violations.Add(new("maintenance", $"{at}: the host's hypervisor cannot hot-restart (hotRestartCapable is false)"));
            }

            var d = domains.TryGetValue(host.UpdateDomain, out var w) ? (Math.Min(w.Start, step.StartS), Math.Max(w.End, step.EndS)) : (step.StartS, step.EndS);
            domains[host.UpdateDomain] = d;
            foreach (var m in movesByHost.GetValueOrDefault(step.Host) ?? [])
            {
                if (m.StartS < step.EndS - Epsilon && m.EndS > step.StartS + Epsilon)
                {
                    violations.Add(new("maintenance", $"{at}: migrations[{m.Index}] (VM {m.Vm.Id} {m.From.Id}→{m.To.Id}, {m.StartS:0.###}..{m.EndS:0.###} s) moves a VM {(m.To.Id == step.Host ? "onto" : "off")} the host during its maintenance"));
                }
            }

            foreach (var (vm, from, to) in occupancy.GetValueOrDefault(step.Host) ?? [])
            {
                if (from >= step.EndS - Epsilon || to <= step.StartS + Epsilon)
                {
                    continue;
                }

                if (step.Action == MaintenanceAction.LiveMigration)
                {
                    violations.Add(new("maintenance", $"{at}: VM {vm.Id} is still on the host, which must be empty on the live-migration rung"));
                }
                else if (step.Action == MaintenanceAction.MemoryPreserving && !vm.MemoryPreservingCapable)
                {
                    violations.Add(new("maintenance", $"{at}: VM {vm.Id} (series '{vm.Series}') cannot do memory-preserving maintenance but stays on the host"));
                }
                else if (step.Action == MaintenanceAction.HotRestart && !vm.LiveMigratable)
                {
                    violations.Add(new("maintenance", $"{at}: VM {vm.Id} cannot migrate, so it cannot be hot-restarted, but stays on the host"));
                }
            }
        }

        var ordered = domains.OrderBy(p => p.Value.Start).ThenBy(p => p.Key).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            var previous = ordered[i - 1];
            var current = ordered[i];
            if (current.Value.Start < previous.Value.End - Epsilon)
            {
                violations.Add(new("update-domain", $"update domain {current.Key} starts at {current.Value.Start:0.###} s before update domain {previous.Key} ends at {previous.Value.End:0.###} s (domains go one at a time)"));
            }
        }
    }

    /// <summary>For each host, the VMs on it and when: from the inventory until they leave, and from each arrival's start until they leave again.</summary>
    private static Dictionary<string, List<(Core.Inventory.Vm Vm, double From, double To)>> Occupancy(PlanRequest request, List<PlanValidator.Move> moves)
    {
        var result = new Dictionary<string, List<(Core.Inventory.Vm, double, double)>>(StringComparer.Ordinal);
        var byVm = moves.GroupBy(m => m.Vm.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.OrderBy(m => m.StartS).ToList(), StringComparer.Ordinal);
        foreach (var vm in request.Inventory.Vms)
        {
            if (!byVm.TryGetValue(vm.Id, out var chain))
            {
                Add(result, vm.Host, (vm, 0, double.PositiveInfinity));
                continue;
            }

            Add(result, vm.Host, (vm, 0, chain[0].EndS));
            for (var i = 0; i < chain.Count; i++)
            {
                Add(result, chain[i].To.Id, (vm, chain[i].StartS, i + 1 < chain.Count ? chain[i + 1].EndS : double.PositiveInfinity));
            }
        }

        return result;
    }

    private static void Add<T>(Dictionary<string, List<T>> map, string key, T value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }
}
