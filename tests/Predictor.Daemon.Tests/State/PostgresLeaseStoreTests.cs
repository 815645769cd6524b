using Predictor.Daemon.Ha;
using Predictor.Daemon.State.Postgres;

namespace Predictor.Daemon.Tests.State;

/// <summary>The lease on a real PostgreSQL: one holder at a time, a token that grows with every new term, expiry by the database's clock.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLeaseStoreTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task ClaimAsync_FreeLease_TheFirstTakesItWithToken1AndTheSecondSeesItsHolder()
    {
        using var database = await postgres.DatabaseAsync();
        var store = new PostgresLeaseStore(database);

        var first = await store.ClaimAsync(Claim("a", Long), default);
        var second = await store.ClaimAsync(Claim("b", Long, url: new Uri("http://b:8080")), default);

        Assert.Equal((true, "a", 1L), (first.Mine, first.Holder, first.FencingToken));
        Assert.Equal((false, "a", 1L), (second.Mine, second.Holder, second.FencingToken));
        Assert.InRange(second.ExpiresAt - second.DatabaseNow, Long - TimeSpan.FromSeconds(5), Long);
    }

    [Fact]
    public async Task ClaimAsync_HolderRenews_KeepsItsTokenAndTermAndMovesTheExpiry()
    {
        using var database = await postgres.DatabaseAsync();
        var store = new PostgresLeaseStore(database);
        var claim = Claim("a", Long);
        var taken = await store.ClaimAsync(claim, default);

        var renewed = await store.ClaimAsync(claim with { RenewToken = taken.FencingToken }, default);

        Assert.True(renewed.Mine);
        Assert.Equal((taken.FencingToken, taken.AcquiredAt), (renewed.FencingToken, renewed.AcquiredAt));
        Assert.True(renewed.ExpiresAt > taken.ExpiresAt);
        Assert.True(renewed.RenewedAt > taken.RenewedAt);
    }

    [Fact]
    public async Task ClaimAsync_LeaseExpired_TheNextClaimTakesItWithTheNextTokenAndTheOldHolderCannotRenew()
    {
        using var database = await postgres.DatabaseAsync();
        var store = new PostgresLeaseStore(database);
        var a = Claim("a", TimeSpan.FromMilliseconds(300));
        var first = await store.ClaimAsync(a, default);
        var b = Claim("b", Long);

        var second = await PostgresFixture.ClaimUntilMineAsync(store, b);
        var late = await store.ClaimAsync(a with { RenewToken = first.FencingToken }, default);

        Assert.Equal(2, second.FencingToken);
        Assert.True(second.AcquiredAt >= first.ExpiresAt, $"b took the lease at {second.AcquiredAt:O}, before a's ran out at {first.ExpiresAt:O}");
        Assert.Equal((false, "b", 2L), (late.Mine, late.Holder, late.FencingToken));
        Assert.Equal([(1L, "a"), (2L, "b")], await TermsAsync(database));
    }

    [Fact]
    public async Task ReleaseAsync_HolderStopsCleanly_AStandbyTakesTheLeaseAtOnce()
    {
        using var database = await postgres.DatabaseAsync();
        var store = new PostgresLeaseStore(database);
        var a = Claim("a", Long);
        var taken = await store.ClaimAsync(a, default);

        await store.ReleaseAsync(a with { RenewToken = taken.FencingToken }, default);
        var next = await store.ClaimAsync(Claim("b", Long), default);

        Assert.Equal((true, 2L), (next.Mine, next.FencingToken));
    }

    [Fact]
    public async Task ClaimAsync_ManyStandbysAtOnceOnAFreeLease_ExactlyOneWins()
    {
        using var database = await postgres.DatabaseAsync();
        var store = new PostgresLeaseStore(database);
        database.EnsureSchema();

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => store.ClaimAsync(Claim($"n{i}", Long), default))));

        var winner = Assert.Single(claims, c => c.Mine);
        Assert.All(claims, c => Assert.Equal((winner.Holder, 1L), (c.Holder, c.FencingToken)));
    }

    private static LeaseClaim Claim(string node, TimeSpan timeout, Uri? url = null) => new(node, Guid.NewGuid(), url, -1, timeout);

    private static async Task<List<(long, string)>> TermsAsync(PostgresDatabase database)
    {
        await using var command = database.Command("SELECT fencing_token, holder FROM predictor_leaders ORDER BY fencing_token");
        await using var reader = await command.ExecuteReaderAsync();
        var terms = new List<(long, string)>();
        while (await reader.ReadAsync())
        {
            terms.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return terms;
    }
}
