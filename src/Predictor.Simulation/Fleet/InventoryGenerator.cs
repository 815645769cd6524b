using System.Globalization;
using Predictor.Core.Inventory;
using Predictor.Simulation.Randomness;

namespace Predictor.Simulation.Fleet;

/// <summary>
/// Builds the simulated inventory: racks of <see cref="HostsPerRack"/> hosts of one generation each,
/// fault domains of <see cref="RacksPerFaultDomain"/> racks (shared power and row switch), update domains
/// striped across every rack, and VMs packed per host under capacity. Each host's draws come from its own
/// stream, so host <c>i</c> is the same whatever the fleet size.
/// </summary>
internal static class InventoryGenerator
{
    public const int HostsPerRack = 20;
    public const int RacksPerFaultDomain = 2;

    /// <summary>vCPUs per physical core the packer allows (well under the validator's plausibility limit).</summary>
    public const double CpuOvercommit = 2.0;

    /// <summary>Share of general, memory and compute VMs that are put into anti-affinity groups.</summary>
    public const double AntiAffinityShare = 0.25;

    /// <summary>
    /// Share of hosts whose hypervisor can hot-restart (VM RAM in shared backends, a QEMU with <c>x-ignore-shared</c>):
    /// the rest take hypervisor updates on the memory-preserving rung.
    /// </summary>
    public const double HotRestartCapableShare = 0.8;

    /// <summary>Draws that did not fit before a host counts as full.</summary>
    private const int MaxMisses = 16;

    private const ulong RackStream = 11;
    private const ulong HostStream = 12;
    private const ulong VmStream = 13;
    private const ulong GroupStream = 14;
    private const ulong HotRestartStream = 15;

    public static (DatacenterInventory Inventory, HostShape[] Shapes) Generate(SimulationOptions options)
    {
        var shapes = Shapes(options);
        var hosts = new Host[shapes.Length];
        var updateDomains = options.Hosts < 50 ? 5 : 10;
        for (var i = 0; i < shapes.Length; i++)
        {
            var s = shapes[i];
            var g = s.Generation;
            hosts[i] = new Host(
                s.Id, RackName(s.Rack), s.Rack / RacksPerFaultDomain, i % HostsPerRack % updateDomains, g.CpuGeneration,
                g.Cores, g.MemoryGiB, (s.Disks - 1) * HardwareGeneration.DiskGiB, g.NicGbps)
            {
                HotRestartCapable = SimRandom.For(options.Seed, HotRestartStream, (ulong)i).Chance(HotRestartCapableShare),
            };
        }

        var vms = PackVms(options, shapes);
        FormAntiAffinityGroups(options, shapes, vms);
        return (DatacenterInventory.Create(options.Datacenter, hosts, vms), shapes);
    }

    public static string RackName(int rack) => "rack-" + (rack + 1).ToString("D3", CultureInfo.InvariantCulture);

    public static string HostId(int index, int hosts) =>
        "h" + (index + 1).ToString("D" + Math.Max(4, Digits(hosts)), CultureInfo.InvariantCulture);

    private static HostShape[] Shapes(SimulationOptions options)
    {
        var racks = (options.Hosts + HostsPerRack - 1) / HostsPerRack;
        var weights = HardwareGeneration.All.Select(g => g.Share).ToArray();
        var rackGeneration = new HardwareGeneration[racks];
        for (var r = 0; r < racks; r++)
        {
            var rng = SimRandom.For(options.Seed, RackStream, (ulong)r);
            rackGeneration[r] = HardwareGeneration.All[rng.Pick(weights)];
        }

        var shapes = new HostShape[options.Hosts];
        for (var i = 0; i < shapes.Length; i++)
        {
            var g = rackGeneration[i / HostsPerRack];
            var rng = SimRandom.For(options.Seed, HostStream, (ulong)i);
            shapes[i] = new HostShape(i, HostId(i, options.Hosts), i / HostsPerRack, g, rng.Int(g.MinDisks, g.MaxDisks));
        }

        return shapes;
    }

    private static List<Vm> PackVms(SimulationOptions options, HostShape[] shapes)
    {
        var vms = new List<Vm>((int)Math.Min(int.MaxValue / 2, options.Hosts * (options.VmsPerHost + 1)));
        var seriesWeights = VmSeries.All.Select(s => s.Weight).ToArray();
        var sizeWeights = VmSeries.All.Select(s => s.Sizes.Select(z => z.Weight).ToArray()).ToArray();
        var idWidth = Math.Max(6, Digits((int)Math.Min(int.MaxValue, options.Hosts * options.VmsPerHost * 2)));
        foreach (var shape in shapes)
        {
            var g = shape.Generation;
            var rng = SimRandom.For(options.Seed, VmStream, (ulong)shape.Index);
            var target = (int)Math.Round(options.VmsPerHost * g.MemoryGiB / HardwareGeneration.MeanMemoryGiB * rng.Uniform(0.6, 1.4));
            double memory = 0, disk = 0;
            var vcpus = 0;
            var diskCapacity = (shape.Disks - 1) * HardwareGeneration.DiskGiB;
            var misses = 0;
            for (var placed = 0; placed < target && misses < MaxMisses;)
            {
                var s = rng.Pick(seriesWeights);
                var series = VmSeries.All[s];
                var size = series.Sizes[rng.Pick(sizeWeights[s])];
                if (memory + size.MemoryGiB > g.MemoryGiB || disk + size.DiskGiB > diskCapacity || vcpus + size.Vcpus > g.Cores * CpuOvercommit)
                {
                    misses++;
                    continue;
                }

                memory += size.MemoryGiB;
                disk += size.DiskGiB;
                vcpus += size.Vcpus;
                placed++;
                var dirty = Math.Round(Math.Clamp(rng.LogNormal(series.DirtyRateMedianMiBps, 0.8), 10, 500), 1);
                var liveMigratable = series.LiveMigratableShare >= 1 || rng.Chance(series.LiveMigratableShare);
                var memoryPreserving = series.MemoryPreserving && size.MemoryGiB < VmSeries.VeryLargeMemoryGiB;
                var id = "vm-" + (vms.Count + 1).ToString("D" + idWidth, CultureInfo.InvariantCulture);
                vms.Add(new Vm(id, shape.Id, size.Vcpus, size.MemoryGiB, size.DiskGiB, series.Name, dirty, liveMigratable, memoryPreserving,
                    null, Owner(rng.NextDouble())));
            }
        }

        return vms;
    }

    /// <summary>
    /// Groups some VMs of one series into anti-affinity groups of 2–5 members on distinct fault domains
    /// (distinct hosts when the fleet has too few fault domains); members share the group owner.
    /// </summary>
    private static void FormAntiAffinityGroups(SimulationOptions options, HostShape[] shapes, List<Vm> vms)
    {
        var rng = SimRandom.For(options.Seed, GroupStream);
        var order = new int[vms.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = (int)(rng.NextULong() % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        var faultDomains = (shapes.Length == 0 ? 0 : shapes[^1].Rack / RacksPerFaultDomain) + 1;
        var hostIndex = shapes.ToDictionary(s => s.Id, s => s.Index, StringComparer.Ordinal);
        var open = new Dictionary<string, (List<int> Members, HashSet<int> Domains, int Size)>(StringComparer.Ordinal);
        var groups = 0;
        foreach (var v in order)
        {
            var vm = vms[v];
            if (vm.Series is "gpu" or "hpc" || !rng.Chance(AntiAffinityShare))
            {
                continue;
            }

            if (!open.TryGetValue(vm.Series, out var group))
            {
                group = ([], [], rng.Int(2, 5));
                open[vm.Series] = group;
            }

            var host = hostIndex[vm.Host];
            var domain = group.Size <= faultDomains ? shapes[host].Rack / RacksPerFaultDomain : host;
            if (!group.Domains.Add(domain))
            {
                continue;
            }

            group.Members.Add(v);
            if (group.Members.Count == group.Size)
            {
                Close(group.Members, ref groups, vms);
                open.Remove(vm.Series);
            }
        }

        foreach (var group in open.Values.Where(g => g.Members.Count >= 2))
        {
            Close(group.Members, ref groups, vms);
        }
    }

    private static void Close(List<int> members, ref int groups, List<Vm> vms)
    {
        groups++;
        var name = "aa-" + groups.ToString("D4", CultureInfo.InvariantCulture);
        var owner = vms[members[0]].Owner;
        foreach (var m in members)
        {
            vms[m] = vms[m] with { AntiAffinityGroup = name, Owner = owner };
        }
    }

    /// <summary>Owners "team-1" … "team-80", skewed so a few teams own many VMs.</summary>
    private static string Owner(double u) => s_owners[(int)(u * u * s_owners.Length)];

    private static readonly string[] s_owners =
        Enumerable.Range(1, 80).Select(i => "team-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();

    private static int Digits(int n) => n < 10 ? 1 : (int)Math.Floor(Math.Log10(n)) + 1;
}
