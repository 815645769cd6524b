using Predictor.Core.Plans;
using Predictor.Planning.Ladder;
using Predictor.Planning.Tests.Support;
using static Predictor.Planning.Tests.Support.Build;

namespace Predictor.Planning.Tests.Ladder;

public class HotRestartLadderTests
{
    // Series: general (live, memory-preserving), hpc (live, not preserving), gpu (neither), storage (preserving, not live).
    [Theory]
    [InlineData("general", true, VmRung.HotRestart)]
    [InlineData("hpc", true, VmRung.HotRestart)]
    [InlineData("storage", true, VmRung.MemoryPreserving)]
    [InlineData("gpu", true, VmRung.SelfServiceScheduled)]
    [InlineData("general", false, VmRung.MemoryPreserving)]
    [InlineData("hpc", false, VmRung.LiveMigration)]
    public void Choose_HypervisorUpdate_HotRestartsWhereHostAndVmCanElseFallsDownTheLadder(string series, bool hostCapable, VmRung expected)
    {
        var vm = series switch
        {
            "general" => Vm("v", "h"),
            "hpc" => Vm("v", "h", series: "hpc", preserving: false),
            "gpu" => Vm("v", "h", series: "gpu", live: false, preserving: false),
            _ => Vm("v", "h", series: "storage", live: false),
        };

        Assert.Equal(expected, LadderPolicy.Choose(UpdateKind.Hypervisor, vm, null, hostCapable));
    }

    [Theory]
    [InlineData(true, new VmRung[0], MaintenanceAction.HotRestart)]
    [InlineData(false, new VmRung[0], MaintenanceAction.MemoryPreserving)]
    [InlineData(true, new[] { VmRung.HotRestart, VmRung.HotRestart }, MaintenanceAction.HotRestart)]
    [InlineData(true, new[] { VmRung.HotRestart, VmRung.MemoryPreserving }, MaintenanceAction.MemoryPreserving)]
    public void HostAction_HypervisorUpdate_HotRestartSitsBetweenHotPatchAndMemoryPreserving(bool hostCapable, VmRung[] staying, MaintenanceAction expected) =>
        Assert.Equal(expected, LadderPolicy.HostAction(UpdateKind.Hypervisor, staying, hostCapable));

    [Fact]
    public void Plan_HypervisorUpdateOnACapableHost_HotRestartsEveryVmInPlace()
    {
        var inventory = Inventory([Host("a") with { HotRestartCapable = true }, Host("b", ud: 1)], [Vm("v1", "a"), Vm("hpc", "a", preserving: false, series: "hpc")]);
        var request = Request(inventory, updates: [new HostUpdate("a", "qemu-9", UpdateKind.Hypervisor)]);

        var plan = Build.Plan(request);

        Assert.Empty(plan.Migrations);
        var step = Assert.Single(plan.Maintenance);
        Assert.Equal(("a", MaintenanceAction.HotRestart, 0.0, 15.0, 50.0), (step.Host, step.Action, step.StartS, step.EndS, step.VmPauseMs));
        Assert.StartsWith("Update qemu-9 (Hypervisor) on a: hypervisor hot restart (between rungs A and B), each VM's process replaced in place with its RAM shared; staying VMs: 2 hot-restarted.", step.Reason, StringComparison.Ordinal);
        Assert.Equal(1.0, Convert.ToDouble(plan.Summary.Extra!["hotRestart"], System.Globalization.CultureInfo.InvariantCulture));
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_HypervisorUpdateOnAnIncapableHost_FallsToMemoryPreservingAndSaysWhy()
    {
        var inventory = Inventory([Host("a"), Host("b", ud: 1)], [Vm("v1", "a")]);
        var request = Request(inventory, updates: [new HostUpdate("a", "qemu-9", UpdateKind.Hypervisor)]);

        var plan = Build.Plan(request);

        var step = Assert.Single(plan.Maintenance);
        Assert.Equal(MaintenanceAction.MemoryPreserving, step.Action);
        Assert.Contains("no hot restart: the hypervisor of a cannot replace its VMs' processes in place (hotRestartCapable is false)", step.Reason, StringComparison.Ordinal);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_HypervisorUpdateWithAVmThatCannotMigrate_PausesTheHostInMemoryAndNamesTheVm()
    {
        var inventory = Inventory([Host("a") with { HotRestartCapable = true }, Host("b", ud: 1)], [Vm("v1", "a"), Vm("store", "a", live: false, series: "storage")]);
        var request = Request(inventory, updates: [new HostUpdate("a", "qemu-9", UpdateKind.Hypervisor)]);

        var plan = Build.Plan(request);

        Assert.Empty(plan.Migrations);
        var step = Assert.Single(plan.Maintenance);
        Assert.Equal(MaintenanceAction.MemoryPreserving, step.Action);
        Assert.Contains("no hot restart: store cannot migrate, and a hot restart is a local migration", step.Reason, StringComparison.Ordinal);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Validate_HotRestartOnAnIncapableHost_IsAViolation()
    {
        var inventory = Inventory([Host("a")], [Vm("v1", "a")]);
        var request = Request(inventory, updates: [new HostUpdate("a", "qemu-9", UpdateKind.Hypervisor)]);
        var plan = MaintenancePlan.Empty with { Maintenance = [new MaintenanceStep("a", MaintenanceAction.HotRestart, 0, 15, 50)] };

        var violations = Predictor.Planning.Validation.PlanValidator.Validate(request, plan);

        Assert.Contains(violations, v => v.Message == "maintenance[0] (HotRestart on a, 0..15 s): the host's hypervisor cannot hot-restart (hotRestartCapable is false)");
    }

    [Fact]
    public void PlanJson_HotRestartStep_RoundTripsWithItsDocumentedName()
    {
        var plan = MaintenancePlan.Empty with { Maintenance = [new MaintenanceStep("a", MaintenanceAction.HotRestart, 0, 15, 50)] };
        using var stream = new MemoryStream();

        PlanJson.Write(plan, stream);
        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        stream.Position = 0;

        Assert.Contains("\"action\": \"hot-restart\"", text, StringComparison.Ordinal);
        Assert.Equal(MaintenanceAction.HotRestart, Assert.Single(PlanJson.Read(stream).Maintenance).Action);
    }
}
