using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Inventory;
using Predictor.Daemon.Automation;
using Predictor.Daemon.Ha;
using Predictor.Daemon.State.Postgres;
using Predictor.Execution.Executor;
using Predictor.Execution.Hypervisors.Simulated;
using Predictor.Execution.Journal;
using Predictor.Notifications.OwnerEvents;
using Predictor.Testing;
using Predictor.Testing.Alerts;

namespace Predictor.Daemon.Tests.State;

/// <summary>
/// Owners' maintenance events and the kill switch shared in PostgreSQL by two daemons: what the leader recorded (an owner's
/// approval, a chosen window, a pending event; an engaged kill switch) is the next leader's, and a daemon that does not hold
/// the lease cannot change it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOwnerEventsAndKillSwitchTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-shared-kill-").FullName;
    private readonly List<IAsyncDisposable> _executors = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var executor in _executors)
        {
            await executor.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Reload_OwnersDecisionsOfTheOldLeader_TheNewLeaderHasEveryDecisionAndPendingEvent()
    {
        using var database = await postgres.DatabaseAsync();
        var token = await LeadAsync(database);
        using var leader = Store(database, () => token);
        using var standby = Store(database, () => 0);
        var now = _clock.GetUtcNow();
        var approved = leader.Schedule(Notice("vm-1", "team-a", now.AddHours(1)));
        var moved = leader.Schedule(Notice("vm-2", "team-a", now.AddHours(1)));
        var pending = leader.Schedule(Notice("vm-3", "team-b", now.AddHours(2)));
        Assert.Equal(OwnerActionStatus.Ok, leader.Approve(approved.Id, "team-a").Status);
        Assert.Equal(OwnerActionStatus.Ok, leader.Reschedule(moved.Id, "team-a", now.AddHours(5)).Status);

        // a shared store is read when the daemon may be current (takeover, standby pass), not at construction
        Assert.Empty(standby.ForOwner("team-a"));
        Assert.Equal(3, standby.Reload());

        Assert.Equal(leader.ForOwner("team-a").Select(Comparable), standby.ForOwner("team-a").Select(Comparable));
        Assert.Equal(OwnerChoiceKind.ApprovedNow, standby.Get(approved.Id)!.Choice);
        Assert.Equal((OwnerChoiceKind.Rescheduled, now.AddHours(5)), (standby.Get(moved.Id)!.Choice, standby.Get(moved.Id)!.NotBefore));
        Assert.Equal((MaintenanceState.Scheduled, OwnerChoiceKind.None, "team-b"), (standby.Get(pending.Id)!.State, standby.Get(pending.Id)!.Choice, standby.Get(pending.Id)!.Owner));
    }

    [Fact]
    public async Task Save_OwnerEventByADaemonThatIsNotTheLeader_IsRefusedAndChangesNothing()
    {
        using var database = await postgres.DatabaseAsync();
        var token = await LeadAsync(database);
        using var leader = Store(database, () => token);
        using var standby = Store(database, () => 0);
        var e = leader.Schedule(Notice("vm-1", "team-a", _clock.GetUtcNow().AddHours(1)));
        standby.Reload();

        Assert.Throws<FencedWriteException>(() => standby.Approve(e.Id, "team-a"));

        Assert.Equal(OwnerChoiceKind.None, standby.Get(e.Id)!.Choice);
        leader.Reload();
        Assert.Equal(OwnerChoiceKind.None, leader.Get(e.Id)!.Choice);
    }

    [Fact]
    public async Task EngageKillSwitch_OnTheLeader_StopsWhicheverDaemonLeadsLaterUntilReleased()
    {
        using var database = await postgres.DatabaseAsync();
        var token = await LeadAsync(database);
        var (leader, leaderExecutor) = Control(new PostgresDaemonStateStore(database, () => token), "a");
        var (next, nextExecutor) = Control(new PostgresDaemonStateStore(database, () => token), "b");

        var engaged = leader.EngageKillSwitch("bad firmware rollout");
        Assert.Equal(("kill-switch", AutomationControl.SharedSource, "bad firmware rollout"), (engaged.State, engaged.KillSwitch!.Source, engaged.KillSwitch.Reason));
        Assert.False(File.Exists(leader.KillSwitchFile)); // a daemon's file is its operator's local stop; this one is shared
        Assert.True(leaderExecutor.Paused);

        // the other daemon has no file of its own: the shared kill switch stops it when it reads the shared state
        Assert.False(File.Exists(next.KillSwitchFile));
        Assert.False(next.Stopped);
        next.ReloadShared();
        next.RefreshKillSwitch(); // its missing file does not release a shared kill switch
        Assert.Equal(("kill-switch", AutomationControl.SharedSource), (next.Status().State, next.Status().KillSwitch!.Source));
        Assert.True(nextExecutor.Paused);
        var (resumed, message) = await next.ResumeAsync(CancellationToken.None);
        Assert.False(resumed);
        Assert.Equal("the kill switch is engaged (bad firmware rollout); release it first: DELETE /api/v1/kill-switch (it stops every daemon of the datacenter)", message);

        // released where it was engaged, it is released for every daemon
        Assert.True(next.ReleaseKillSwitch().Released);
        leader.ReloadShared();
        Assert.False(leader.Stopped);
        Assert.False(leaderExecutor.Paused);
        leader.RefreshKillSwitch();
        Assert.False(leader.Stopped);
    }

    [Fact]
    public async Task EngageKillSwitch_LocalFileOnly_StopsThatDaemonAlone()
    {
        using var database = await postgres.DatabaseAsync();
        var token = await LeadAsync(database);
        var (local, _) = Control(new PostgresDaemonStateStore(database, () => token), "a");
        var (other, _) = Control(new PostgresDaemonStateStore(database, () => token), "b");

        await File.WriteAllTextAsync(local.KillSwitchFile!, "maintenance on this machine");
        local.RefreshKillSwitch();
        other.ReloadShared();

        Assert.Equal("file", local.Status().KillSwitch!.Source);
        Assert.False(other.Stopped);
    }

    [Fact]
    public async Task EngageKillSwitch_SharedStateUnwritable_StillStopsThisDaemon()
    {
        using var database = await postgres.DatabaseAsync();
        await LeadAsync(database);
        var (deposed, executor) = Control(new PostgresDaemonStateStore(database, () => 0), "a");

        var status = deposed.EngageKillSwitch("stop now");

        Assert.Equal(("kill-switch", "file", "stop now"), (status.State, status.KillSwitch!.Source, status.KillSwitch.Reason));
        Assert.True(File.Exists(deposed.KillSwitchFile)); // it still stops this daemon after a restart
        Assert.True(executor.Paused);
        var fresh = new PostgresDaemonStateStore(database, () => 0);
        Assert.Null(fresh.KillSwitch());
    }

    private MaintenanceEventStore Store(PostgresDatabase database, Func<long> token) =>
        new(new OwnerEventsOptions { SelfServiceWindow = TimeSpan.FromDays(3) }, new PostgresMaintenanceEventRepository(database, token), _clock, NullLogger<MaintenanceEventStore>.Instance);

    private (AutomationControl Control, PlanExecutor Executor) Control(PostgresDaemonStateStore state, string node)
    {
        var inventory = DatacenterInventory.Create("dc", [new Host("h01", "r1", 1, 1, 3, 16, 64, 500, 10, HostState.Active)], []);
        var executor = new PlanExecutor(new SimulatedHypervisor(inventory, _clock), new SqliteExecutionJournal(":memory:"), new ExecutorOptions(), _clock, NullLogger<PlanExecutor>.Instance);
        _executors.Add(executor);
        var options = new AutomationOptions { KillSwitchFile = Path.Combine(_directory, node + "-kill-switch") };
        return (new AutomationControl(executor, new CollectingAlertPublisher(), options, new BlastRadiusOptions(), _clock, NullLogger<AutomationControl>.Instance, state: state), executor);
    }

    private static MaintenanceNotice Notice(string vm, string owner, DateTimeOffset notBefore) =>
        new(vm, owner, "h01", "memory-preserving", "host firmware update", notBefore, TimeSpan.FromSeconds(2));

    private static string Comparable(MaintenanceEvent e) =>
        $"{e.Id} {e.Vm} {e.Owner} {e.Host} {e.Kind} {e.State} {e.Choice} {e.NotBefore.UtcTicks / 10} {e.WindowEnd.UtcTicks / 10} {e.ExpectedBlackout}";

    private static async Task<long> LeadAsync(PostgresDatabase database) =>
        (await new PostgresLeaseStore(database).ClaimAsync(new LeaseClaim("a", Guid.NewGuid(), null, -1, TimeSpan.FromMinutes(5)), default)).FencingToken;
}
