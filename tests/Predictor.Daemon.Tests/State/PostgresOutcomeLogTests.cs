using System.Collections.Frozen;
using Predictor.Core.Outcomes;
using Predictor.Core.Risk;
using Predictor.Daemon.Ha;
using Predictor.Daemon.Outcomes;
using Predictor.Daemon.State.Postgres;
using Predictor.Execution.Journal;

namespace Predictor.Daemon.Tests.State;

/// <summary>
/// The outcome and feature log in PostgreSQL: it keeps what the SQLite log keeps, the same way (a record reads back
/// exactly, duplicates are skipped, pruning by time), what the leader writes every other daemon reads, and a daemon that
/// does not hold the lease (a standby, a deposed leader) cannot write it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOutcomeLogTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset At = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AppendAndRead_SameRecordsAsTheSqliteLog_ExactlyAndWithDuplicatesSkipped()
    {
        using var database = await postgres.DatabaseAsync();
        var token = await LeadAsync(database, "a");
        var shared = new PostgresOutcomeLog(database, () => token);
        using var file = new SqliteOutcomeLog(":memory:");
        HostOutcome[] outcomes =
        [
            new("h1", At.AddTicks(7), OutcomeKind.Failed, "disk:sdb", "disk-media", "ticket", Detail: "RMA 12"),
            new("h2", At.AddHours(1), OutcomeKind.Evacuated, ModelVersion: "v3", Probability: 0.97),
            new("h1", At.AddHours(2), OutcomeKind.Repaired, Source: "api:operators"),
        ];
        HostFeatures[] features =
        [
            Row("h1", At, ("smart_5_raw.max", 72), ("ecc.rate", double.NaN)),
            Row("h2", At, ("smart_5_raw.max", 0), ("ecc.rate", 1.5)),
            Row("h1", At.AddHours(1), ("smart_5_raw.max", 73), ("ecc.rate", 0.25), ("temp.max", 61)),
        ];

        foreach (IOutcomeLog log in new IOutcomeLog[] { shared, file })
        {
            Assert.Equal(3, log.AppendRange(outcomes));
            Assert.False(log.Append(outcomes[0]));
            Assert.Equal(0, log.AppendRange([outcomes[1], outcomes[1]]));
            log.AppendFeatures(features);
        }

        Assert.Equal(file.Outcomes(), shared.Outcomes());
        Assert.Equal(outcomes, shared.Outcomes());
        Assert.Equal([outcomes[0], outcomes[2]], shared.Outcomes(host: "h1"));
        Assert.Equal([outcomes[1]], shared.Outcomes(At.AddMinutes(1), At.AddHours(2)));
        Assert.Equal(file.LatestFeaturesAt(), shared.LatestFeaturesAt());
        Assert.Equal(Flatten(file.Features()), Flatten(shared.Features()));
        Assert.Equal(["h1"], shared.Features(At.AddMinutes(30)).Select(f => f.Host));
        Assert.True(double.IsNaN(shared.Features(At, At.AddMinutes(1)).Single(f => f.Host == "h1").Values["ecc.rate"]));

        Assert.Equal((2, 1), shared.Prune(At.AddHours(1), At.AddHours(1)));
        Assert.Equal([outcomes[1], outcomes[2]], shared.Outcomes());
        Assert.Equal([(At.AddHours(1), "h1")], shared.Features().Select(f => (f.At, f.Host)));
    }

    [Fact]
    public async Task Append_ByADeposedLeader_IsRefusedByTheFenceAndWritesNothing()
    {
        using var database = await postgres.DatabaseAsync();
        var leases = new PostgresLeaseStore(database);
        var a = new LeaseClaim("a", Guid.NewGuid(), null, -1, TimeSpan.FromSeconds(1));
        var first = (await leases.ClaimAsync(a, default)).FencingToken;
        var deposed = new PostgresOutcomeLog(database, () => first);
        Assert.True(deposed.Append(new HostOutcome("h1", At, OutcomeKind.Failed)));
        // a's lease runs out (a is cut off); b takes over
        var second = (await PostgresFixture.ClaimUntilMineAsync(leases, new LeaseClaim("b", Guid.NewGuid(), null, -1, TimeSpan.FromMinutes(5)))).FencingToken;
        var leader = new PostgresOutcomeLog(database, () => second);
        string? fenced = null;
        database.Fenced = message => fenced = message;

        var late = Assert.Throws<FencedWriteException>(() => deposed.AppendRange([new HostOutcome("h2", At, OutcomeKind.Evacuated, Probability: 0.9)]));
        Assert.Throws<FencedWriteException>(() => deposed.AppendFeatures([Row("h2", At, ("ecc.rate", 3))]));
        Assert.Throws<FencedWriteException>(() => deposed.Prune(At.AddDays(1), At.AddDays(1)));

        Assert.Equal($"fencing token {first} is superseded: b holds the lease with token {second}", late.Message);
        Assert.Equal(late.Message, fenced);
        Assert.Equal(["h1"], leader.Outcomes().Select(o => o.Host));
        Assert.Null(leader.LatestFeaturesAt());
        Assert.True(leader.Append(new HostOutcome("h3", At, OutcomeKind.Failed)));
    }

    [Fact]
    public async Task Open_AnOperatorsImportBesideTheDaemons_WritesWithoutALeaseAndEveryDaemonReadsIt()
    {
        var connection = await postgres.Server.CreateDatabaseAsync();
        var options = new HaOptions { ConnectionString = connection };
        using var database = new PostgresDatabase(connection, options);
        var token = await LeadAsync(database, "a");
        var daemon = new PostgresOutcomeLog(database, () => token);
        daemon.AppendFeatures([Row("h1", At, ("ecc.rate", 1))]);

        using (var import = PostgresOutcomeLog.Open(options))
        {
            Assert.Equal(1, import.AppendRange([new HostOutcome("h1", At.AddHours(3), OutcomeKind.Failed, "dimm:A3", "memory-uncorrectable", "rma")]));
            Assert.Equal(At, import.LatestFeaturesAt());
            Assert.StartsWith("outcome log in PostgreSQL 127.0.0.1:", import.Description, StringComparison.Ordinal);
            Assert.DoesNotContain("Password", import.Description, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal("rma", Assert.Single(daemon.Outcomes()).Source);
        // features are the leader's alone: a log without a token does not write them
        using var unfenced = PostgresOutcomeLog.Open(options);
        Assert.Throws<InvalidOperationException>(() => unfenced.AppendFeatures([Row("h9", At, ("ecc.rate", 1))]));
    }

    private static async Task<long> LeadAsync(PostgresDatabase database, string node) =>
        (await new PostgresLeaseStore(database).ClaimAsync(new LeaseClaim(node, Guid.NewGuid(), null, -1, TimeSpan.FromMinutes(5)), default)).FencingToken;

    private static HostFeatures Row(string host, DateTimeOffset at, params (string Name, double Value)[] values) =>
        new(host, at, at.AddMinutes(-1), values.ToFrozenDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal));

    private static List<string> Flatten(IEnumerable<HostFeatures> rows) =>
        [.. rows.Select(r => $"{r.Host}@{r.At.UtcTicks}/{r.LastSeen?.UtcTicks}:" + string.Join(',', r.Values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value:R}")))];
}
