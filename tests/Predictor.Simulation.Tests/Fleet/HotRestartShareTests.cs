using Predictor.Core.Plans;

namespace Predictor.Simulation.Tests.Fleet;

public sealed class HotRestartShareTests
{
    private static readonly SimulatedFleet s_fleet = SimulatedFleet.Create(new SimulationOptions { Hosts = 2000, Duration = TimeSpan.Zero, Seed = 5 });

    [Fact]
    public void Create_Default_AboutEightyPercentOfHostsCanHotRestart()
    {
        var share = s_fleet.Inventory.Hosts.Count(h => h.HotRestartCapable) / (double)s_fleet.Inventory.Hosts.Length;

        Assert.InRange(share, 0.77, 0.83);
    }

    [Fact]
    public void Create_Updates_AboutFourteenPercentAreHypervisorUpdates()
    {
        var share = s_fleet.Updates.Count(u => u.Kind == UpdateKind.Hypervisor) / (double)s_fleet.Updates.Count;

        // 40 % of the 35 % host-component draw
        Assert.InRange(share, 0.11, 0.17);
        Assert.All(s_fleet.Updates.Where(u => u.Kind == UpdateKind.Hypervisor), u => Assert.Equal("qemu-7.2.23", u.UpdateId));
    }

    [Fact]
    public void Create_DifferentFleetSize_EachHostGetsTheSameShapeAndCapability()
    {
        // the capability comes from the host's own random stream, like the rest of its shape
        var again = SimulatedFleet.Create(new SimulationOptions { Hosts = 400, Duration = TimeSpan.Zero, Seed = 5 });
        var prefix = s_fleet.Inventory.Hosts.Take(20).Select(h => (h.Rack, h.CpuGeneration, h.DiskGiB, h.HotRestartCapable));

        Assert.Equal(prefix, again.Inventory.Hosts.Take(20).Select(h => (h.Rack, h.CpuGeneration, h.DiskGiB, h.HotRestartCapable)));
    }
}
