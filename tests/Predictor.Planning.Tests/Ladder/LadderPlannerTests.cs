using Predictor.Core.Plans;
using Predictor.Planning.Tests.Support;
using static Predictor.Planning.Tests.Support.Build;

namespace Predictor.Planning.Tests.Ladder;

public class LadderPlannerTests
{
    [Fact]
    public void Plan_HotPatchableUpdate_HotPatchesWithoutMovingAnyone()
    {
        var inventory = Inventory([Host("a"), Host("b", ud: 1)], [Vm("v1", "a"), Vm("gpu", "a", live: false, preserving: false, series: "gpu")]);
        var request = Request(inventory, updates: [new HostUpdate("a", "u1", UpdateKind.HotPatchable)]);

        var plan = Build.Plan(request);

        Assert.Empty(plan.Migrations);
        var step = Assert.Single(plan.Maintenance);
        Assert.Equal(("a", MaintenanceAction.HotPatch, 0.0, 30.0, 2.0), (step.Host, step.Action, step.StartS, step.EndS, step.VmPauseMs));
        Assert.StartsWith("Update u1 (HotPatchable) on a: hot patch (rung A), VMs notice nothing; staying VMs: 2 hot-patched under.", step.Reason, StringComparison.Ordinal);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_HostComponentWithAnIncapableVm_MovesItThenPausesTheRestInMemory()
    {
        var inventory = Inventory([Host("a"), Host("b", ud: 1)], [Vm("v1", "a"), Vm("hpc", "a", preserving: false, series: "hpc")]);
        var request = Request(inventory, updates: [new HostUpdate("a", "u1", UpdateKind.HostComponent)]);

        var plan = Build.Plan(request);

        var move = Assert.Single(plan.Migrations);
        Assert.Equal(("hpc", "b"), (move.Vm, move.To));
        var step = Assert.Single(plan.Maintenance);
        Assert.Equal(MaintenanceAction.MemoryPreserving, step.Action);
        Assert.Equal(move.EndS, step.StartS);
        Assert.Equal(10_000, step.VmPauseMs);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_RebootWithAnOwnerSlot_WaitsForTheSlotAndOthersLeave()
    {
        var inventory = Inventory([Host("a"), Host("b", ud: 1)], [Vm("v1", "a"), Vm("chosen", "a")]);
        var request = Request(inventory, updates: [new HostUpdate("a", "u1", UpdateKind.Reboot)]) with
        {
            OwnerChoices = Choices(new OwnerChoice("chosen", false, 5000)),
        };

        var plan = Build.Plan(request);

        Assert.Equal("v1", Assert.Single(plan.Migrations).Vm);
        var step = Assert.Single(plan.Maintenance);
        Assert.Equal((MaintenanceAction.SelfService, 5000.0, 5300.0), (step.Action, step.StartS, step.EndS));
        Assert.Contains("owners chose a slot not before 5000 s", step.Reason, StringComparison.Ordinal);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_RebootWithAVmThatCannotLeave_WaitsForTheWindowToClose()
    {
        var inventory = Inventory([Host("a"), Host("b", ud: 1)], [Vm("gpu", "a", live: false, preserving: false, series: "gpu")]);
        var request = Request(inventory, updates: [new HostUpdate("a", "u1", UpdateKind.Reboot)],
            options: new PlanningOptions { HeadroomFraction = 0, SelfServiceWindow = TimeSpan.FromDays(1) });

        var plan = Build.Plan(request);

        Assert.Empty(plan.Migrations);
        var step = Assert.Single(plan.Maintenance);
        Assert.Equal((MaintenanceAction.SelfService, 86_400.0), (step.Action, step.StartS));
        Assert.Equal(360_000, step.VmPauseMs);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_RebootEverywhere_UpdateDomainsGoOneAtATimeAndEmptyHostsFirst()
    {
        var hosts = Enumerable.Range(0, 6).Select(i => Host($"h{i}", ud: i % 3, fd: i)).ToArray();
        var vms = Enumerable.Range(0, 6).Select(i => Vm($"v{i}", $"h{i}")).ToArray();
        var inventory = Inventory(hosts, vms);
        var request = Request(inventory, updates: [.. hosts.Select(h => new HostUpdate(h.Id, "u1", UpdateKind.Reboot))]);

        var plan = Build.Plan(request);

        var windows = plan.Maintenance.GroupBy(s => inventory.GetHost(s.Host).UpdateDomain)
            .Select(g => (Ud: g.Key, Start: g.Min(s => s.StartS), End: g.Max(s => s.EndS))).OrderBy(w => w.Start).ToArray();
        Assert.Equal([0, 1, 2], windows.Select(w => w.Ud));
        Assert.True(windows[1].Start >= windows[0].End && windows[2].Start >= windows[1].End);
        Assert.All(plan.Maintenance, s => Assert.Equal(MaintenanceAction.LiveMigration, s.Action));
        Assert.Equal(3, plan.Summary.Extra!["updateDomains"]);
        Assert.EndsWith("Update domain 0 (1 of 3) starts at 0 s.", plan.Maintenance.First(s => s.Host == "h0").Reason, StringComparison.Ordinal);
        Assert.EndsWith($"Update domain 1 (2 of 3) starts at {windows[0].End:0.#} s, when the previous domain has ended.", plan.Maintenance.First(s => s.Host == "h1").Reason, StringComparison.Ordinal);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_HealthFailureInTheRollout_StopsEveryUpdateButStillEvacuates()
    {
        var inventory = Inventory([Host("a"), Host("b", ud: 1), Host("c", ud: 2)], [Vm("v1", "a"), Vm("v2", "b")]);
        var request = Request(inventory, ["a"], updates: [new HostUpdate("b", "u1", UpdateKind.Reboot)]) with { HealthFailedHosts = ["c"] };

        var plan = Build.Plan(request);

        Assert.Empty(plan.Maintenance);
        Assert.Equal("v1", Assert.Single(plan.Migrations).Vm);
        Assert.Equal("The rollout is stopped: the post-update health check failed on c; 1 pending update(s) are not planned until an operator clears the failure.", plan.Summary.Extra!["rolloutHalted"]);
        PlanAssert.Valid(request, plan);
    }

    [Fact]
    public void Plan_UpdateOnAnAtRiskHost_SkippedAndCounted()
    {
        var inventory = Inventory([Host("a"), Host("b", ud: 1)], [Vm("v1", "a")]);
        var request = Request(inventory, ["a"], updates: [new HostUpdate("a", "u1", UpdateKind.Reboot)]);

        var plan = Build.Plan(request);

        Assert.Empty(plan.Maintenance);
        var skipped = Assert.IsType<Dictionary<string, int>>(plan.Summary.Extra!["updatesSkipped"]);
        Assert.Equal(1, skipped["host is at risk and being evacuated instead"]);
    }
}
