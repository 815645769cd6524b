using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Daemon.Ha;
using Predictor.Daemon.Tests.Support;
using Predictor.Execution.Executor;
using Predictor.Execution.Hypervisors.Simulated;
using Predictor.Execution.Journal;
using Predictor.Testing;
using Predictor.Testing.Metrics;

namespace Predictor.Daemon.Tests.Ha;

/// <summary>
/// Two daemons electing a leader on the test's clock: the first takes the lease; a leader cut off from the database stops
/// acting before its lease can expire, and the standby takes over once it has; a write the database fenced off stands the
/// leader down at once.
/// </summary>
public sealed class LeaderElectionTests
{
    private static readonly HaOptions Options = new() { LeaseTimeout = TimeSpan.FromSeconds(10), RenewInterval = TimeSpan.FromSeconds(2), StandDownMargin = TimeSpan.FromSeconds(3) };

    [Fact]
    public async Task Claim_LeaderCutOffFromTheDatabase_StopsActingBeforeItsLeaseExpiresAndTheStandbyTakesOverOnceItHas()
    {
        var clock = new ManualTimeProvider();
        var store = new ManualLeaseStore(clock);
        await using var a = Node("a", clock, store);
        await a.Election.StartAsync(CancellationToken.None);
        await AdvanceUntilAsync(clock, () => a.Leadership.IsLeader);
        await using var b = Node("b", clock, store);
        await b.Election.StartAsync(CancellationToken.None);
        await AdvanceAsync(clock, TimeSpan.FromSeconds(30));
        Assert.True(a.Leadership.IsLeader && !b.Leadership.IsLeader, "a keeps the lease while it renews");

        store.Cut("a");
        var cut = clock.GetUtcNow();
        await AdvanceUntilAsync(clock, () => b.Leadership.IsLeader);

        var stoodDown = Assert.Single(a.Changes, c => !c.Leading);
        Assert.True(stoodDown.AbortRunning, "a leader that lost its lease cancels what it runs");
        Assert.StartsWith("no renewal of the lease got through for 00:00:07", stoodDown.Reason, StringComparison.Ordinal);
        var aStopped = a.Leadership.Status().StoodDownAt!.Value;
        var bTook = store.Terms[^1].At;
        Assert.Equal([(1L, "a"), (2L, "b")], store.Terms.Select(t => (t.Token, t.Holder)));
        // a renewed at most one interval before the cut; it stops 7 s after that renewal, 3 s before that lease can run out
        Assert.InRange(aStopped - cut, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(7));
        Assert.InRange(bTook - aStopped, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3.5));
        Assert.InRange(bTook - cut, TimeSpan.FromSeconds(8), Options.LeaseTimeout + TimeSpan.FromSeconds(0.5));
        Assert.Equal(2, b.Leadership.FencingToken);
        Assert.Equal("leader", b.Leadership.Status().Role);
        Assert.Equal("standby", a.Leadership.Status().Role);
    }

    [Fact]
    public async Task Fenced_WriteRefusedByTheDatabase_TheLeaderStandsDownAtOnceAndAbortsItsSteps()
    {
        var clock = new ManualTimeProvider();
        var store = new ManualLeaseStore(clock);
        await using var a = Node("a", clock, store);
        await a.Election.StartAsync(CancellationToken.None);
        await AdvanceUntilAsync(clock, () => a.Leadership.IsLeader);

        a.Leadership.Fenced("fencing token 1 is superseded: b holds the lease with token 2");

        Assert.False(a.Leadership.IsLeader);
        var change = a.Changes[^1];
        Assert.Equal((false, true), (change.Leading, change.AbortRunning));
        Assert.Equal("the database refused a write: fencing token 1 is superseded: b holds the lease with token 2", change.Reason);
    }

    [Fact]
    public async Task StopAsync_Leader_ReleasesTheLeaseSoTheStandbyTakesOverWithoutWaitingForItToExpire()
    {
        var clock = new ManualTimeProvider();
        var store = new ManualLeaseStore(clock);
        var a = Node("a", clock, store);
        await a.Election.StartAsync(CancellationToken.None);
        await AdvanceUntilAsync(clock, () => a.Leadership.IsLeader);
        await using var b = Node("b", clock, store);
        await b.Election.StartAsync(CancellationToken.None);
        await AdvanceAsync(clock, TimeSpan.FromSeconds(4));

        await a.Election.StopAsync(CancellationToken.None);
        var stopped = clock.GetUtcNow();
        await AdvanceUntilAsync(clock, () => b.Leadership.IsLeader);
        await a.DisposeAsync();

        Assert.InRange(store.Terms[^1].At - stopped, TimeSpan.Zero, Options.RenewInterval);
        Assert.Equal([(false, false), (false, true)], a.Changes.Where(c => !c.Leading).Select(c => (c.Leading, c.AbortRunning)));
    }

    [Fact]
    public void Alone_DaemonWithoutSharedState_IsTheLeaderForGoodWithToken0()
    {
        using var alone = Leadership.Alone("solo", new ManualTimeProvider());

        Assert.True(alone.IsLeader);
        Assert.Equal(0, alone.FencingToken);
        Assert.Equal(("single", "leader", "solo"), (alone.Status().Mode, alone.Status().Role, alone.Status().Leader));
    }

    [Fact]
    public void NotLeaderMessage_StandbySeeingALiveLeader_NamesItAndItsAddress()
    {
        var clock = new ManualTimeProvider();
        using var standby = Leadership.Shared(new HaOptions { NodeId = "b" }, clock, NullLogger<Leadership>.Instance);
        standby.Observe(new LeaseView(false, "a", new Uri("http://a.dc1:8080"), 4, clock.GetUtcNow(), clock.GetUtcNow(), clock.GetUtcNow().AddSeconds(9), clock.GetUtcNow()));

        Assert.Equal("this daemon (b) is a standby and does not act; the leader is a (http://a.dc1:8080/): send the request there", standby.NotLeaderMessage());
    }

    private static ElectionNode Node(string name, ManualTimeProvider clock, ManualLeaseStore store)
    {
        var options = new HaOptions { NodeId = name, LeaseTimeout = Options.LeaseTimeout, RenewInterval = Options.RenewInterval, StandDownMargin = Options.StandDownMargin };
        var leadership = Leadership.Shared(options, clock, NullLogger<Leadership>.Instance);
        var executor = new PlanExecutor(
            new SimulatedHypervisor(ScriptedDatacenter.SmallInventory(), clock), new NoJournal(), new ExecutorOptions(), clock, NullLogger<PlanExecutor>.Instance);
        var meters = new TestMeterFactory();
        var node = new ElectionNode(leadership, new LeaderElection(store, leadership, options, executor, clock, new HaMetrics(meters, () => leadership), NullLogger<LeaderElection>.Instance), executor, meters);
        leadership.Changed += node.Changes.Add;
        return node;
    }

    /// <summary>Moves the clock 100 ms at a time, letting the elections' loops run in between, until <paramref name="done"/>.</summary>
    private static async Task AdvanceUntilAsync(ManualTimeProvider clock, Func<bool> done)
    {
        for (var i = 0; i < 1200 && !done(); i++)
        {
            await Task.Delay(2);
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.True(done(), "not reached within 2 simulated minutes");
    }

    private static async Task AdvanceAsync(ManualTimeProvider clock, TimeSpan span)
    {
        var end = clock.GetUtcNow() + span;
        while (clock.GetUtcNow() < end)
        {
            await Task.Delay(2);
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }
    }

    private sealed record ElectionNode(Leadership Leadership, LeaderElection Election, PlanExecutor Executor, IMeterFactory Meters) : IAsyncDisposable
    {
        public List<LeadershipChange> Changes { get; } = [];

        public async ValueTask DisposeAsync()
        {
            Election.Dispose();
            await Executor.DisposeAsync();
            Leadership.Dispose();
            Meters.Dispose();
        }
    }

    private sealed class NoJournal : IExecutionJournal
    {
        public Task RecordAsync(JournalEntry entry, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<JournalEntry>> InFlightAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<JournalEntry>>([]);

        public Task<IReadOnlyList<JournalEntry>> HistoryAsync(string target, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<JournalEntry>>([]);
    }
}
