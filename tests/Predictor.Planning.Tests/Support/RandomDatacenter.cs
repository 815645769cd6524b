using System.Collections.Immutable;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;

namespace Predictor.Planning.Tests.Support;

/// <summary>
/// Seeded random small datacenters with everything that makes planning hard: mixed generations and NICs,
/// hosts in every state, VMs that cannot live-migrate or stay paused, fast-dirtying VMs, anti-affinity groups,
/// tight capacity, owner choices, updates of every kind and random limits.
/// </summary>
internal static class RandomDatacenter
{
    private static readonly (string Series, bool Live, bool Preserving)[] s_series =
    [
        ("general", true, true), ("memory", true, true), ("hpc", true, false), ("gpu", false, false), ("storage", false, true),
    ];

    public static (PlanRequest Request, MaintenancePlannerOptions Options) Create(int seed)
    {
        var random = new Random(seed);
        var hostCount = random.Next(2, 25);
        var faultDomains = random.Next(1, 6);
        var updateDomains = random.Next(1, 5);
        var hosts = new List<Host>();
        var states = new[] { HostState.Active, HostState.Active, HostState.Active, HostState.Active, HostState.Active, HostState.Active, HostState.Quarantined, HostState.Maintenance, HostState.Failed };
        for (var i = 0; i < hostCount; i++)
        {
            hosts.Add(new Host($"h{i}", $"r{i % 7}", random.Next(faultDomains), random.Next(updateDomains), random.Next(1, 4),
                random.Next(4, 65), random.Next(16, 257), random.Next(100, 2001), new[] { 10.0, 25, 40, 100 }[random.Next(4)],
                states[random.Next(states.Length)]));
        }

        var vms = new List<Vm>();
        var groups = random.Next(0, 4);
        foreach (var host in hosts)
        {
            double mem = 0, disk = 0;
            var vcpus = 0;
            var fill = random.NextDouble();
            for (var attempt = 0; attempt < 12; attempt++)
            {
                var m = new[] { 1.0, 2, 4, 8, 16, 32, 64 }[random.Next(7)];
                var d = random.Next(0, 200);
                var c = random.Next(1, 17);
                if (mem + m > host.MemoryGiB * fill || disk + d > host.DiskGiB || vcpus + c > host.Cores * 2)
                {
                    continue;
                }

                var (series, live, preserving) = s_series[random.Next(s_series.Length)];
                var dirty = random.Next(10) == 0 ? random.Next(2000, 20000) : random.Next(0, 300);
                var group = groups > 0 && random.Next(3) == 0 ? $"g{random.Next(groups)}" : null;
                vms.Add(new Vm($"v{vms.Count}", host.Id, c, m, d, series, dirty, live, preserving, group));
                mem += m;
                disk += d;
                vcpus += c;
            }
        }

        var inventory = DatacenterInventory.Create($"dc-{seed}", hosts, vms);
        var atRisk = hosts.Where(_ => random.Next(5) == 0)
            .Select(h => new AtRiskHost(h.Id, random.Next(2) == 0 ? null : random.Next(60, 7200), random.NextDouble()))
            .ToImmutableArray();
        var kinds = Enum.GetValues<UpdateKind>();
        var updates = random.Next(2) == 0 ? [] : hosts.Where(_ => random.Next(3) > 0)
            .Select(h => new HostUpdate(h.Id, "u1", kinds[random.Next(kinds.Length)])).ToImmutableArray();
        var owners = vms.Where(_ => random.Next(6) == 0)
            .Select(v => new OwnerChoice(v.Id, random.Next(2) == 0, random.Next(2) == 0 ? random.Next(0, 5000) : null)).ToImmutableArray();
        var limits = new PlanLimits
        {
            MaxOutboundPerHost = random.Next(1, 4),
            MaxInboundPerHost = random.Next(1, 4),
            MaxConcurrent = random.Next(1, 9),
            CpuOvercommit = new[] { 1.0, 1.5, 2 }[random.Next(3)],
        };
        var options = new PlanningOptions
        {
            HeadroomFraction = new[] { 0.0, 0.05, 0.2 }[random.Next(3)],
            MaxDowntime = TimeSpan.FromMilliseconds(new[] { 100, 500, 2000 }[random.Next(3)]),
            SelfServiceWindow = TimeSpan.FromSeconds(random.Next(0, 20000)),
        };
        var request = new PlanRequest(inventory, atRisk, updates, limits, options) { OwnerChoices = owners };
        var plannerOptions = new MaintenancePlannerOptions { AllowAutoConverge = random.Next(3) > 0, AllowColdMoves = random.Next(3) > 0 };
        return (request, plannerOptions);
    }
}
