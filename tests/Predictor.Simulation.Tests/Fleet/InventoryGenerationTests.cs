using Predictor.Core.Inventory;
using Predictor.Testing.Telemetry;

namespace Predictor.Simulation.Tests.Fleet;

public sealed class InventoryGenerationTests
{
    private static readonly SimulatedFleet s_fleet = SimulatedFleet.Create(new SimulationOptions { Hosts = 400, Duration = TimeSpan.Zero, Seed = 5 });

    [Fact]
    public void Create_Default_InventoryValidAndUnderCapacity()
    {
        var inventory = s_fleet.Inventory;

        Assert.Empty(InventoryValidator.Validate(inventory.Datacenter, inventory.Hosts, inventory.Vms));
        foreach (var host in inventory.Hosts)
        {
            var vms = inventory.VmsOn(host.Id);
            Assert.True(vms.Sum(v => v.MemoryGiB) <= host.MemoryGiB, $"{host.Id} memory over capacity");
            Assert.True(vms.Sum(v => v.DiskGiB) <= host.DiskGiB, $"{host.Id} disk over capacity");
            Assert.True(vms.Sum(v => v.Vcpus) <= host.Cores * 2, $"{host.Id} vCPUs over 2 per core");
        }
    }

    [Fact]
    public void Create_Default_HeterogeneousGenerationsRacksAndDomains()
    {
        var hosts = s_fleet.Inventory.Hosts;

        Assert.True(hosts.Select(h => h.CpuGeneration).Distinct().Count() >= 3);
        Assert.All(hosts, h => Assert.InRange(h.CpuGeneration, 3, 6));
        Assert.Equal(20, hosts.Select(h => h.Rack).Distinct().Count());
        Assert.All(hosts.GroupBy(h => h.Rack), rack => Assert.Equal(20, rack.Count()));
        Assert.All(hosts.GroupBy(h => h.Rack), rack => Assert.Single(rack.Select(h => h.CpuGeneration).Distinct()));
        Assert.Equal(10, hosts.Select(h => h.FaultDomain).Distinct().Count());
        Assert.Equal(10, hosts.Select(h => h.UpdateDomain).Distinct().Count());
        var byGeneration = hosts.GroupBy(h => h.CpuGeneration).OrderBy(g => g.Key).Select(g => g.First().MemoryGiB).ToList();
        Assert.Equal(byGeneration.Order(), byGeneration);
    }

    [Fact]
    public void Create_Default_VmCountNearMeanAndBiggerHostsCarryMore()
    {
        var inventory = s_fleet.Inventory;
        var perHost = inventory.Hosts.ToDictionary(h => h.Id, h => inventory.VmsOn(h.Id).Length);

        Assert.InRange(inventory.Vms.Length / 400.0, 6.0, 9.0);
        var byGeneration = inventory.Hosts.GroupBy(h => h.CpuGeneration).OrderBy(g => g.Key).Select(g => g.Average(h => perHost[h.Id])).ToList();
        Assert.True(byGeneration[^1] > byGeneration[0], string.Join(", ", byGeneration));
    }

    [Fact]
    public void Create_Default_SizeMixHasSpecialSeries()
    {
        var vms = s_fleet.Inventory.Vms;

        Assert.Equal(["compute", "general", "gpu", "hpc", "memory"], vms.Select(v => v.Series).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(vms, v => !v.LiveMigratable);
        Assert.Contains(vms, v => !v.MemoryPreservingCapable);
        Assert.All(vms.Where(v => v.Series is "gpu" or "hpc"), v => Assert.False(v.MemoryPreservingCapable));
        Assert.All(vms.Where(v => v.Series is "general" or "compute"), v => Assert.True(v.LiveMigratable && v.MemoryPreservingCapable));
        var gpu = vms.Where(v => v.Series == "gpu").ToList();
        Assert.True(gpu.Count(v => !v.LiveMigratable) > gpu.Count / 2, "most GPU VMs cannot live-migrate");
        Assert.True(vms.Count(v => v.Series == "general") > vms.Length / 2, "general VMs are the majority");
        Assert.All(vms, v => Assert.InRange(v.DirtyRateMiBps, 10, 500));
        Assert.True(vms.Select(v => v.DirtyRateMiBps).Order().ElementAt(vms.Length / 2) < 100, "dirty rates are skewed low");
        Assert.All(vms, v => Assert.StartsWith("team-", v.Owner, StringComparison.Ordinal));
    }

    [Fact]
    public void Create_Default_AntiAffinityGroupsSpreadOverFaultDomains()
    {
        var inventory = s_fleet.Inventory;
        var groups = inventory.Vms.Where(v => v.AntiAffinityGroup is not null).GroupBy(v => v.AntiAffinityGroup!).ToList();

        Assert.NotEmpty(groups);
        foreach (var group in groups)
        {
            Assert.InRange(group.Count(), 2, 5);
            var domains = group.Select(v => inventory.GetHost(v.Host).FaultDomain).ToList();
            Assert.Equal(domains.Count, domains.Distinct().Count());
            Assert.Single(group.Select(v => v.Owner).Distinct());
        }
    }

    [Fact]
    public void Create_Updates_AboutSixtyPercentOfHostsWithMixedKinds()
    {
        var updates = s_fleet.Updates;

        Assert.InRange(updates.Count / 400.0, 0.5, 0.7);
        Assert.Equal(updates.Count, updates.Select(u => u.Host).Distinct().Count());
        Assert.Equal(4, updates.Select(u => u.Kind).Distinct().Count());
    }

    [Fact]
    public void Create_ZeroDuration_NoFailuresAndNoTelemetry()
    {
        var sink = new CollectingSink();

        s_fleet.EmitTelemetry(s_fleet.Options.Start - TimeSpan.FromDays(1), s_fleet.Options.Start + TimeSpan.FromDays(1), sink);

        Assert.Empty(s_fleet.Failures);
        Assert.Empty(sink.Samples);
    }
}
