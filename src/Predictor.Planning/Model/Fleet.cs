using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;

namespace Predictor.Planning.Model;

/// <summary>
/// The planner's mutable working copy of a datacenter: hosts and VMs by index, usage per host and
/// anti-affinity counts per (group, fault domain). Usage only ever grows inside a phase (a migrating VM
/// holds capacity on both hosts); sources release at the phase boundary, when their moves have ended.
/// </summary>
internal sealed class Fleet
{
    private const double Epsilon = 1e-9;
    private readonly Dictionary<long, int> _groupCounts = [];
    private readonly int[] _groupLimit;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Fleet(PlanRequest request)
    {
        var inventory = request.Inventory;
        Hosts = [.. inventory.Hosts];
        Vms = [.. inventory.Vms];
        HostIndex = new Dictionary<string, int>(Hosts.Length, StringComparer.Ordinal);
        for (var i = 0; i < Hosts.Length; i++)
        {
            HostIndex[Hosts[i].Id] = i;
        }

        var headroom = 1 - request.Options.HeadroomFraction;
        UsedMem = new double[Hosts.Length];
        UsedVcpu = new double[Hosts.Length];
        UsedDisk = new double[Hosts.Length];
        MemLimit = new double[Hosts.Length];
        VcpuLimit = new double[Hosts.Length];
        DiskLimit = new double[Hosts.Length];
        for (var i = 0; i < Hosts.Length; i++)
        {
            MemLimit[i] = Hosts[i].MemoryGiB * headroom;
            VcpuLimit[i] = Hosts[i].Cores * request.Limits.CpuOvercommit * headroom;
            DiskLimit[i] = Hosts[i].DiskGiB * headroom;
        }

        VmHost = new int[Vms.Length];
        VmGroup = new int[Vms.Length];
        var groups = new Dictionary<string, int>(StringComparer.Ordinal);
        var groupSizes = new List<int>();
        var hostVmCount = new int[Hosts.Length + 1];
        for (var v = 0; v < Vms.Length; v++)
        {
            var vm = Vms[v];
            var h = HostIndex[vm.Host];
            VmHost[v] = h;
            hostVmCount[h + 1]++;
            UsedMem[h] += vm.MemoryGiB;
            UsedVcpu[h] += vm.Vcpus;
            UsedDisk[h] += vm.DiskGiB;
            if (vm.AntiAffinityGroup is { } name)
            {
                if (!groups.TryGetValue(name, out var g))
                {
                    g = groups.Count;
                    groups[name] = g;
                    groupSizes.Add(0);
                }

                VmGroup[v] = g;
                groupSizes[g]++;
                _groupCounts[Key(g, Hosts[h].FaultDomain)] = _groupCounts.GetValueOrDefault(Key(g, Hosts[h].FaultDomain)) + 1;
            }
            else
            {
                VmGroup[v] = -1;
            }
        }

        // Vms of each host as a compact index (host → range of VM indices), in inventory order.
        for (var h = 0; h < Hosts.Length; h++)
        {
            hostVmCount[h + 1] += hostVmCount[h];
        }

        HostVmStart = (int[])hostVmCount.Clone();
        HostVms = new int[Vms.Length];
        var fill = (int[])hostVmCount.Clone();
        for (var v = 0; v < Vms.Length; v++)
        {
            HostVms[fill[VmHost[v]]++] = v;
        }

        HostClasses = [.. Hosts.Select(h => (h.CpuGeneration, h.NicGbps)).Distinct().Order()];
        HostClass = new int[Hosts.Length];
        for (var h = 0; h < Hosts.Length; h++)
        {
            HostClass[h] = Array.BinarySearch(HostClasses, (Hosts[h].CpuGeneration, Hosts[h].NicGbps));
        }

        FaultDomainCount = Math.Max(1, Hosts.Select(h => h.FaultDomain).Distinct().Count());
        _groupLimit = [.. groupSizes.Select(n => AntiAffinityRule.PerFaultDomainLimit(n, FaultDomainCount))];
        GroupNames = [.. groups.OrderBy(p => p.Value).Select(p => p.Key)];
    }

    public Host[] Hosts { get; }

    public Vm[] Vms { get; }

    public Dictionary<string, int> HostIndex { get; }

    /// <summary>The distinct (CPU generation, link speed) pairs of the hosts, in order: what placement groups hosts by.</summary>
    public (int Generation, double NicGbps)[] HostClasses { get; }

    /// <summary>Each host's position in <see cref="HostClasses"/> (neither changes while planning).</summary>
    public int[] HostClass { get; }

    /// <summary>The host each VM is on at the current phase boundary.</summary>
    public int[] VmHost { get; }

    public int[] VmGroup { get; }

    public string[] GroupNames { get; }

    public int[] HostVmStart { get; }

    public int[] HostVms { get; }

    public int FaultDomainCount { get; }

    public double[] UsedMem { get; }

    public double[] UsedVcpu { get; }

    public double[] UsedDisk { get; }

    public double[] MemLimit { get; }

    public double[] VcpuLimit { get; }

    public double[] DiskLimit { get; }

    /// <summary>The VMs a host had in the inventory (its original residents).</summary>
    public ReadOnlySpan<int> OriginalVmsOn(int host) => HostVms.AsSpan(HostVmStart[host], HostVmStart[host + 1] - HostVmStart[host]);

    public bool FitsMemory(int host, int vm) => UsedMem[host] + Vms[vm].MemoryGiB <= MemLimit[host] + Epsilon;

    public bool FitsVcpu(int host, int vm) => UsedVcpu[host] + Vms[vm].Vcpus <= VcpuLimit[host] + Epsilon;

    public bool FitsDisk(int host, int vm) => UsedDisk[host] + Vms[vm].DiskGiB <= DiskLimit[host] + Epsilon;

    /// <summary>True when moving the VM to the host keeps its anti-affinity group within the per-fault-domain limit.</summary>
    public bool KeepsSpread(int host, int vm)
    {
        var g = VmGroup[vm];
        if (g < 0)
        {
            return true;
        }

        var fd = Hosts[host].FaultDomain;
        if (fd == Hosts[VmHost[vm]].FaultDomain)
        {
            return true;
        }

        return _groupCounts.GetValueOrDefault(Key(g, fd)) + 1 <= _groupLimit[g];
    }

    public int GroupLimit(int group) => _groupLimit[group];

    /// <summary>Reserves the VM's resources on a destination for the rest of the phase.</summary>
    public void Reserve(int host, int vm)
    {
        var v = Vms[vm];
        UsedMem[host] += v.MemoryGiB;
        UsedVcpu[host] += v.Vcpus;
        UsedDisk[host] += v.DiskGiB;
        var g = VmGroup[vm];
        if (g >= 0 && Hosts[host].FaultDomain != Hosts[VmHost[vm]].FaultDomain)
        {
            var key = Key(g, Hosts[host].FaultDomain);
            _groupCounts[key] = _groupCounts.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>Undoes <see cref="Reserve"/> for a move that was given up before it was scheduled.</summary>
    public void Unreserve(int host, int vm)
    {
        var v = Vms[vm];
        UsedMem[host] -= v.MemoryGiB;
        UsedVcpu[host] -= v.Vcpus;
        UsedDisk[host] -= v.DiskGiB;
        var g = VmGroup[vm];
        if (g >= 0 && Hosts[host].FaultDomain != Hosts[VmHost[vm]].FaultDomain)
        {
            _groupCounts[Key(g, Hosts[host].FaultDomain)]--;
        }
    }

    /// <summary>Ends a phase for one completed move: the source lets go of the VM, which now lives on the destination.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CompleteMove(int vm, int destination)
    {
        var v = Vms[vm];
        var source = VmHost[vm];
        UsedMem[source] -= v.MemoryGiB;
        UsedVcpu[source] -= v.Vcpus;
        UsedDisk[source] -= v.DiskGiB;
        var g = VmGroup[vm];
        if (g >= 0 && Hosts[source].FaultDomain != Hosts[destination].FaultDomain)
        {
            _groupCounts[Key(g, Hosts[source].FaultDomain)]--;
        }

        VmHost[vm] = destination;
    }

    /// <summary>Fault domains already holding the group at its limit (for explanations).</summary>
    public IEnumerable<int> FullFaultDomains(int group) =>
        _groupCounts.Where(p => (int)(p.Key >> 32) == group && p.Value >= _groupLimit[group])
            .Select(p => (int)(uint)p.Key).Order();

    private static long Key(int group, int faultDomain) => ((long)group << 32) | (uint)faultDomain;

    /// <summary>Hosts whose update (now or later in the rollout) will empty or pause them: the last choice as a destination.</summary>
    public bool[] Disrupting(params ImmutableArray<HostUpdate>[] updateLists)
    {
        var disrupting = new bool[Hosts.Length];
        foreach (var updates in updateLists)
        {
            foreach (var update in updates.IsDefault ? [] : updates)
            {
                if (update.Kind != UpdateKind.HotPatchable && HostIndex.TryGetValue(update.Host, out var h))
                {
                    disrupting[h] = true;
                }
            }
        }

        return disrupting;
    }
}
