using Predictor.Core.Hypervisors;
using Predictor.Core.Inventory;
using Predictor.Execution.Hypervisors.Simulated;
using Predictor.Testing;

namespace Predictor.Execution.Tests.Hypervisors.Simulated;

/// <summary>
/// The simulated hypervisor refuses any placement that would leave its inventory invalid: once a host's disk was
/// overfilled, every later <see cref="SimulatedHypervisor.Snapshot"/> threw and every pipeline pass failed.
/// </summary>
public sealed class SimulatedHypervisorCapacityTests
{
    // h2 has memory to spare but only 100 GiB of disk, of which its own VM uses 80
    private static readonly DatacenterInventory s_inventory = DatacenterInventory.Create(
        "dc",
        [
            new Host("h1", "r1", 1, 1, 3, 16, 256, 2000, 10),
            new Host("h2", "r2", 2, 2, 3, 16, 256, 100, 10),
            new Host("h3", "r3", 3, 3, 3, 1, 256, 2000, 10),
        ],
        [
            new Vm("big-disk", "h1", 2, 4, 50, "general", 10, true, true),
            new Vm("resident", "h2", 2, 4, 80, "general", 10, true, true),
            new Vm("many-vcpus", "h1", 9, 4, 10, "general", 10, true, true),
        ]);

    [Fact]
    public void FreeRoom_CountsMemoryDiskAndVcpus()
    {
        var hypervisor = new SimulatedHypervisor(s_inventory, new ManualTimeProvider());

        Assert.Equal(new HostRoom(252, 20, 16 * InventoryValidator.MaxPlausibleCpuOvercommit - 2), hypervisor.FreeRoom("h2"));
    }

    [Fact]
    public void Restart_OnAHostWithMemoryButNotDisk_IsRefusedAndTheInventoryStaysValid()
    {
        var hypervisor = new SimulatedHypervisor(s_inventory, new ManualTimeProvider());
        hypervisor.FailHost("h1");

        var e = Assert.Throws<HypervisorException>(() => hypervisor.Restart("big-disk", "h2"));

        Assert.Contains("20 GiB of disk free, not the 50 GiB VM 'big-disk' needs", e.Message, StringComparison.Ordinal);
        Assert.Equal("h1", hypervisor.Snapshot().GetVm("big-disk").Host);
    }

    [Fact]
    public void Restart_BeyondTheVcpuOvercommitLimit_IsRefused()
    {
        var hypervisor = new SimulatedHypervisor(s_inventory, new ManualTimeProvider());
        hypervisor.FailHost("h1");

        var e = Assert.Throws<HypervisorException>(() => hypervisor.Restart("many-vcpus", "h3"));

        Assert.Contains("room for 8 more vCPUs, not the 9", e.Message, StringComparison.Ordinal);
        hypervisor.Restart("big-disk", "h3");
        Assert.Equal("h3", hypervisor.Snapshot().GetVm("big-disk").Host);
    }

    [Fact]
    public async Task Migrations_ToAHostWithoutDisk_AreRefusedBeforeTheyStart()
    {
        var hypervisor = new SimulatedHypervisor(s_inventory, new ManualTimeProvider());
        var options = new MigrationOptions(TimeSpan.FromMilliseconds(500));

        var live = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.LiveMigrateAsync("big-disk", "h1", "h2", options, null, CancellationToken.None));
        var cold = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.ColdMigrateAsync("big-disk", "h1", "h2", CancellationToken.None));

        Assert.Contains("of disk free", live.Message, StringComparison.Ordinal);
        Assert.Contains("of disk free", cold.Message, StringComparison.Ordinal);
        Assert.Equal(VmRunState.Running, await hypervisor.GetStateAsync("big-disk", "h1", CancellationToken.None));
    }
}
