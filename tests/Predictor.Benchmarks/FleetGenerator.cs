using Predictor.Core.Inventory;

namespace Predictor.Benchmarks;

/// <summary>
/// A seeded large datacenter for planner benchmarks: racks of 40 hosts over 20 fault domains and 10 update
/// domains, four CPU generations (newer ones with more cores, memory and faster NICs), about 60 % memory
/// used, and a VM mix with series that cannot do memory-preserving maintenance (hpc, large) or cannot
/// live-migrate (gpu), a few fast-dirtying VMs and 10 % of VMs in anti-affinity groups of three.
/// </summary>
public static class FleetGenerator
{
    private static readonly (string Series, bool Live, bool Preserving, double Weight)[] s_series =
    [
        ("general", true, true, 0.70), ("memory", true, true, 0.15), ("hpc", true, false, 0.05), ("gpu", false, false, 0.05), ("large", true, false, 0.05),
    ];

    public static DatacenterInventory Create(int hosts, int vmsPerHost, int seed)
    {
        var random = new Random(seed);
        var hostList = new List<Host>(hosts);
        var vms = new List<Vm>(hosts * vmsPerHost);
        var groupSerial = 0;
        var groupFill = 0;
        for (var i = 0; i < hosts; i++)
        {
            var rack = i / 40;
            var gen = 1 + Math.Min(3, (int)(random.NextDouble() * random.NextDouble() * 5));
            var cores = 32 * gen;
            var memory = 256.0 * gen;
            var host = new Host($"h{i:D6}", $"r{rack:D4}", rack % 20, rack % 10, gen, cores, memory, 4000 * gen, new[] { 10.0, 25, 40, 100 }[gen - 1]);
            hostList.Add(host);
            double usedMem = 0;
            var usedCores = 0;
            for (var k = 0; k < vmsPerHost; k++)
            {
                var vcpus = 1 << random.Next(0, 4);
                var mem = vcpus * (random.Next(2) == 0 ? 4.0 : 8.0);
                if (usedMem + mem > memory * 0.6 || usedCores + vcpus > cores * 0.8)
                {
                    vcpus = 1;
                    mem = 2;
                }

                var pick = random.NextDouble();
                var s = s_series[^1];
                foreach (var candidate in s_series)
                {
                    if (pick < candidate.Weight)
                    {
                        s = candidate;
                        break;
                    }

                    pick -= candidate.Weight;
                }

                var dirty = random.Next(50) == 0 ? random.Next(1500, 6000) : random.Next(5, 200);
                string? group = null;
                if (random.Next(10) == 0)
                {
                    group = $"g{groupSerial}";
                    if (++groupFill == 3)
                    {
                        groupFill = 0;
                        groupSerial++;
                    }
                }

                vms.Add(new Vm($"v{vms.Count:D7}", host.Id, vcpus, mem, vcpus * 20, s.Series, dirty, s.Live, s.Preserving, group, $"team-{random.Next(500)}"));
                usedMem += mem;
                usedCores += vcpus;
            }
        }

        return DatacenterInventory.Create($"bench-{hosts}", hostList, vms);
    }
}
