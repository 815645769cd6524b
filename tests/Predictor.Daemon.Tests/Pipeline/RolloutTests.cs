using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Daemon.Pipeline;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;
using Predictor.Daemon.Tests.Support;

namespace Predictor.Daemon.Tests;

public sealed class RolloutTests
{
    // h1, h3, h5 in update domain 1; h2, h4, h6 in update domain 0
    private static readonly DatacenterInventory Inventory = ScriptedDatacenter.SmallInventory();
    private static readonly DateTimeOffset WindowEnd = new(2026, 3, 15, 0, 0, 0, TimeSpan.Zero);

    private static ExecutionOutcome Step(string host, bool ok, StepKind kind = StepKind.MemoryPreserving) =>
        new($"p/{host}", kind, host, host, null, ok, TimeSpan.FromSeconds(10), TimeSpan.Zero, ok ? "done" : "failed");

    [Fact]
    public void Offer_UpdatesInTwoDomains_OffersTheLowestDomainOnlyAndTheRestAsLater()
    {
        var rollout = new Rollout([new HostUpdate("h1", "a", UpdateKind.Reboot), new HostUpdate("h2", "a", UpdateKind.Reboot), new HostUpdate("h4", "b", UpdateKind.HotPatchable)]);

        var offered = rollout.Offer(Inventory, _ => false);

        Assert.Equal(["h2", "h4"], offered.Select(u => u.Host));
        Assert.Equal(0, rollout.CurrentDomain);
        Assert.Equal(["h1"], rollout.Later().Select(u => u.Host));
    }

    [Fact]
    public void Offer_HostUnderWayOrBusy_IsNotOfferedAgainAndTheDomainWaitsForIt()
    {
        var rollout = new Rollout([new HostUpdate("h1", "a", UpdateKind.HostComponent), new HostUpdate("h2", "a", UpdateKind.HostComponent), new HostUpdate("h4", "a", UpdateKind.HostComponent)]);
        rollout.Offer(Inventory, _ => false);
        rollout.Planned(new MaintenanceStep("h2", MaintenanceAction.MemoryPreserving, 0, 20, 10_000), WindowEnd);

        Assert.Empty(rollout.Offer(Inventory, id => id == "h4"));
        Assert.Equal(["h2"], rollout.UnderWay);

        rollout.Observe([Step("h2", ok: true)]);
        Assert.Equal(["h4"], rollout.Offer(Inventory, _ => false).Select(u => u.Host));
        rollout.Planned(new MaintenanceStep("h4", MaintenanceAction.MemoryPreserving, 0, 20, 10_000), WindowEnd);
        rollout.Observe([Step("h4", ok: true)]);

        // domain 0 is done: domain 1 starts
        Assert.Equal(["h1"], rollout.Offer(Inventory, _ => false).Select(u => u.Host));
        Assert.Equal(1, rollout.CurrentDomain);
        Assert.Equal(1, rollout.PendingCount);
    }

    [Fact]
    public void Observe_SecondFailureOnAHost_HaltsUntilCleared()
    {
        var rollout = new Rollout([new HostUpdate("h2", "a", UpdateKind.HostComponent)]);
        var step = new MaintenanceStep("h2", MaintenanceAction.MemoryPreserving, 0, 20, 10_000);

        rollout.Offer(Inventory, _ => false);
        rollout.Planned(step, WindowEnd);
        Assert.Empty(rollout.Observe([Step("h2", ok: false)]));
        Assert.Equal(["h2"], rollout.Offer(Inventory, _ => false).Select(u => u.Host));
        rollout.Planned(step, WindowEnd);
        Assert.Equal(new[] { "h2" }, rollout.Observe([Step("h2", ok: false)]).ToArray());

        Assert.Equal(new[] { "h2" }, rollout.HealthFailed.ToArray());
        Assert.Equal(new[] { "h2" }, rollout.ClearHealthFailures().ToArray());
        Assert.Empty(rollout.HealthFailed);
        Assert.Equal(1, rollout.PendingCount);
    }

    [Fact]
    public void Planned_SelfService_HandsTheHostToItsOwnersUntilDueAndMigrationsDoNotCount()
    {
        var rollout = new Rollout([new HostUpdate("h2", "a", UpdateKind.Reboot), new HostUpdate("h2", "b", UpdateKind.HotPatchable)]);

        Assert.Equal("a+b", Assert.Single(rollout.Offer(Inventory, _ => false)).UpdateId);
        Assert.Equal(UpdateKind.Reboot, rollout.Get("h2")!.Kind);
        rollout.Observe([Step("h2", ok: true, StepKind.LiveMigration)]);
        Assert.Equal(1, rollout.PendingCount);
        var step = new MaintenanceStep("h2", MaintenanceAction.SelfService, 0, 1, 0);

        Assert.True(rollout.Planned(step, WindowEnd));

        // waiting for its owners: still pending, not offered, and it does not hold the rollout in its domain
        Assert.Equal(1, rollout.PendingCount);
        Assert.Equal(WindowEnd, rollout.WithOwners["h2"]);
        Assert.Empty(rollout.Offer(Inventory, _ => false));
        Assert.Null(rollout.CurrentDomain);
        Assert.Equal(1, Assert.Single(rollout.Progress().Domains).WithOwners);

        // its moment has come: offered again, and this time the self-service step is executed
        rollout.MarkDue("h2");
        Assert.Equal(["h2"], rollout.Offer(Inventory, _ => false).Select(u => u.Host));
        Assert.False(rollout.Planned(step, WindowEnd));
        Assert.Equal(["h2"], rollout.UnderWay);
        Assert.Empty(rollout.WithOwners);
        rollout.Observe([Step("h2", ok: true, StepKind.SelfService)]);
        Assert.Equal(0, rollout.PendingCount);
        Assert.Equal(1, Assert.Single(rollout.Progress().Domains).Applied);
    }

    [Fact]
    public void Offer_QuarantinedOrFailedHost_IsDropped()
    {
        var rollout = new Rollout([new HostUpdate("h2", "a", UpdateKind.Reboot), new HostUpdate("h4", "a", UpdateKind.Reboot)]);
        var states = new Dictionary<string, HostState> { ["h2"] = HostState.Quarantined, ["h4"] = HostState.Failed };

        Assert.Empty(rollout.Offer(Inventory.WithHostStates(states), _ => false));
        Assert.Equal(0, rollout.PendingCount);
        Assert.Null(rollout.CurrentDomain);
    }

    [Fact]
    public void Release_StepDroppedWhilePaused_IsOfferedAgain()
    {
        var rollout = new Rollout([new HostUpdate("h2", "a", UpdateKind.HostComponent)]);
        rollout.Offer(Inventory, _ => false);
        rollout.Planned(new MaintenanceStep("h2", MaintenanceAction.MemoryPreserving, 0, 20, 10_000), WindowEnd);
        Assert.Empty(rollout.Offer(Inventory, _ => false));

        rollout.Release(["h2"]);

        Assert.Equal(["h2"], rollout.Offer(Inventory, _ => false).Select(u => u.Host));
        Assert.Empty(rollout.UnderWay);
    }

    [Fact]
    public void Observe_StepsAbortedByTheKillSwitch_AreNotHealthFailures()
    {
        var rollout = new Rollout([new HostUpdate("h2", "a", UpdateKind.HostComponent)]);
        var step = new MaintenanceStep("h2", MaintenanceAction.MemoryPreserving, 0, 20, 10_000);
        var aborted = Step("h2", ok: false) with { Message = "aborted (kill switch engaged); its 2 paused VMs are resumed", Failure = FailureKind.Aborted };

        for (var i = 0; i < 3; i++)
        {
            rollout.Offer(Inventory, _ => false);
            rollout.Planned(step, WindowEnd);
            Assert.Empty(rollout.Observe([aborted]));
        }

        Assert.Empty(rollout.HealthFailed);
        Assert.Equal(1, rollout.PendingCount);
    }
}
