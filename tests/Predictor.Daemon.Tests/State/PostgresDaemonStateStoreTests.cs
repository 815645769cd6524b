using Predictor.Core.Risk;
using Predictor.Daemon.Automation;
using Predictor.Daemon.Ha;
using Predictor.Daemon.Pipeline;
using Predictor.Daemon.State;
using Predictor.Daemon.State.Postgres;
using Predictor.Execution.Journal;

namespace Predictor.Daemon.Tests.State;

/// <summary>
/// The daemon's state shared in PostgreSQL by two daemons: what the leader writes, the other reads (and keeps after a
/// restart); a daemon that is not the leader cannot change it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDaemonStateStoreTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset At = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Save_ByTheLeader_TheOtherDaemonReadsEveryKindOfRecord()
    {
        using var database = await postgres.DatabaseAsync();
        var token = (await new PostgresLeaseStore(database).ClaimAsync(new LeaseClaim("a", Guid.NewGuid(), null, -1, TimeSpan.FromMinutes(5)), default)).FencingToken;
        using var leader = new PostgresDaemonStateStore(database, () => token);
        using var other = new PostgresDaemonStateStore(database, () => 0);

        leader.SaveQuarantine(Flagged("h1"));
        leader.SaveQuarantine(Flagged("h2"));
        leader.SaveRelease("h2", new Release(At, At.AddDays(1), 0.9, "disk replaced"));
        leader.SaveRepair(new RepairRecord("h1", At.AddHours(1), "PSU swapped, ticket 7", "operators") { CleanAssessments = 2 });
        leader.SaveDecommission(new Decommission("h3", At, "end of life", "operators"));
        leader.SavePause(new PauseState("change freeze", At));
        leader.SaveRollout(new RolloutRecord("h4", "kp-1", RolloutState.Applied, null));

        Assert.True(other.IsShared);
        Assert.Equal(["h1"], other.Quarantined().Select(a => a.Host));
        Assert.Equal("smart_5_raw", Assert.Single(other.Quarantined()[0].Evidence).Signal);
        Assert.Equal("disk replaced", other.Released()["h2"].Reason);
        var repair = Assert.Single(other.Repairs());
        Assert.Equal(("h1", 2, "operators"), (repair.Host, repair.CleanAssessments, repair.By));
        Assert.Equal("end of life", other.Decommissioned()["h3"].Reason);
        Assert.Equal("change freeze", other.Pause()?.Reason);
        Assert.Equal([new RolloutRecord("h4", "kp-1", RolloutState.Applied, null)], other.Rollout());
    }

    [Fact]
    public async Task Save_ByADaemonThatIsNotTheLeader_IsRefusedAndChangesNothing()
    {
        using var database = await postgres.DatabaseAsync();
        var token = (await new PostgresLeaseStore(database).ClaimAsync(new LeaseClaim("a", Guid.NewGuid(), null, -1, TimeSpan.FromMinutes(5)), default)).FencingToken;
        using var leader = new PostgresDaemonStateStore(database, () => token);
        using var standby = new PostgresDaemonStateStore(database, () => 0);
        leader.SaveQuarantine(Flagged("h1"));

        var refused = Assert.Throws<FencedWriteException>(() => standby.SaveRelease("h1", new Release(At, At, 0.9, "not mine to release")));

        Assert.Equal("fencing token 0 is superseded: a holds the lease with token 1", refused.Message);
        Assert.Equal(["h1"], leader.Quarantined().Select(a => a.Host));
        Assert.Empty(leader.Released());
    }

    [Fact]
    public async Task Reload_AQuarantineSetOverTheSharedStore_SeesWhatTheLeaderChanged()
    {
        using var database = await postgres.DatabaseAsync();
        var token = (await new PostgresLeaseStore(database).ClaimAsync(new LeaseClaim("a", Guid.NewGuid(), null, -1, TimeSpan.FromMinutes(5)), default)).FencingToken;
        using var leaderStore = new PostgresDaemonStateStore(database, () => token);
        using var standbyStore = new PostgresDaemonStateStore(database, () => 0);
        var leader = new QuarantineSet(leaderStore);
        var standby = new QuarantineSet(standbyStore);
        leader.Add(Flagged("h1"));
        leader.Add(Flagged("h2"));

        // a shared store is not read at construction: the daemon reads it when it may be current
        Assert.Equal(0, standby.Count);
        standby.Reload();
        Assert.Equal(["h1", "h2"], standby.Snapshot().Keys.Order());

        leader.Release("h2", "fan replaced", At.AddHours(2), TimeSpan.FromHours(24));
        leader.RecordRepair("h1", At.AddHours(2), "DIMM replaced", "operators");
        standby.Reload();
        Assert.Equal(["h1"], standby.Snapshot().Keys);
        Assert.Equal("fan replaced", standby.Released()["h2"].Reason);
        Assert.Equal("DIMM replaced", standby.Repairs()["h1"].Reason);
    }

    private static RiskAssessment Flagged(string host) =>
        new(host, At, 0.93, TimeSpan.FromDays(7), null, [new Evidence("smart_5_raw", "sda", 12, "reallocated sectors (SMART 5) at 12")], "rules");
}
