using Predictor.Daemon.Ha;
using Predictor.Daemon.State.Postgres;
using Predictor.Execution.Journal;

namespace Predictor.Daemon.Tests.State;

/// <summary>The journal shared in PostgreSQL: what the SQLite journal keeps, and a write whose fencing token a newer leader superseded is refused.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresExecutionJournalTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset At = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RecordAsync_StepsOfTheLeader_ReadBackInFlightInHistoryAndByPage()
    {
        using var database = await postgres.DatabaseAsync();
        var token = (await new PostgresLeaseStore(database).ClaimAsync(Claim("a", TimeSpan.FromMinutes(5)), default)).FencingToken;
        var journal = new PostgresExecutionJournal(database);

        await journal.RecordAsync(Started("p1/h1", "h1", token) with { PausedVms = ["v1", "v,2"] }, default);
        for (var i = 2; i <= 4; i++)
        {
            await journal.RecordAsync(Started($"p{i}/v9", "v9", token) with { Kind = StepKind.LiveMigration, From = "h1", To = "h2" }, default);
        }

        await journal.RecordAsync(Started("p4/v9", "v9", token) with { Kind = StepKind.LiveMigration, From = "h1", To = "h2", State = StepState.Completed, At = At.AddSeconds(3) }, default);

        var inFlight = await journal.InFlightAsync(default);
        Assert.Equal(["p1/h1", "p2/v9", "p3/v9"], inFlight.Select(e => e.StepId));
        Assert.Equal(["v1", "v,2"], inFlight[0].PausedVms.ToArray());
        Assert.Equal(token, inFlight[0].FencingToken);
        var history = await journal.HistoryAsync("v9", default);
        Assert.Equal([StepState.Started, StepState.Started, StepState.Started, StepState.Completed], history.Select(e => e.State));
        Assert.Equal(At.AddSeconds(3), history[^1].At);
        var newest = await journal.HistoryPageAsync("v9", 2, null, default);
        var older = await journal.HistoryPageAsync("v9", 2, newest[0].Position, default);
        Assert.Equal(["p4/v9", "p4/v9"], newest.Select(p => p.Entry.StepId));
        Assert.Equal(["p2/v9", "p3/v9"], older.Select(p => p.Entry.StepId));
    }

    [Fact]
    public async Task RecordAsync_DeposedLeadersLateWrite_IsRefusedAndNothingOfItIsWritten()
    {
        using var database = await postgres.DatabaseAsync();
        var fenced = new List<string>();
        database.Fenced = fenced.Add;
        var lease = new PostgresLeaseStore(database);
        var journal = new PostgresExecutionJournal(database);
        var old = (await lease.ClaimAsync(Claim("a", TimeSpan.FromMilliseconds(300)), default)).FencingToken;
        await journal.RecordAsync(Started("p1/v1", "v1", old), default);
        var next = await PostgresFixture.ClaimUntilMineAsync(lease, Claim("b", TimeSpan.FromMinutes(5)));

        var refused = await Assert.ThrowsAsync<FencedWriteException>(() => journal.RecordAsync(Started("p1/v1", "v1", old) with { State = StepState.Completed }, default));
        await journal.RecordAsync(Started("p1/v1", "v1", next.FencingToken) with { State = StepState.Failed, Message = "recovered" }, default);

        Assert.Equal($"fencing token {old} is superseded: b holds the lease with token {next.FencingToken}", refused.Message);
        Assert.Equal([refused.Message], fenced);
        var history = await journal.HistoryAsync("v1", default);
        Assert.Equal([(StepState.Started, old), (StepState.Failed, next.FencingToken)], history.Select(e => (e.State, e.FencingToken)));
    }

    [Fact]
    public async Task RecordAsync_LeaseRanOutAndNobodyTookIt_IsRefusedAllTheSame()
    {
        using var database = await postgres.DatabaseAsync();
        var lease = await new PostgresLeaseStore(database).ClaimAsync(Claim("a", TimeSpan.FromMilliseconds(200)), default);
        var journal = new PostgresExecutionJournal(database);
        await Task.Delay(400);

        var refused = await Assert.ThrowsAsync<FencedWriteException>(() => journal.RecordAsync(Started("p1/v1", "v1", lease.FencingToken), default));

        Assert.StartsWith($"the lease of fencing token {lease.FencingToken} expired at ", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await journal.HistoryAsync("v1", default));
    }

    private static JournalEntry Started(string stepId, string target, long token) =>
        new(stepId, stepId.Split('/')[0], StepKind.MemoryPreserving, target, target, null, StepState.Started, At) { FencingToken = token };

    private static LeaseClaim Claim(string node, TimeSpan timeout) => new(node, Guid.NewGuid(), null, -1, timeout);
}
