using Predictor.Daemon.Ha;
using Predictor.Daemon.State.Postgres;
using Predictor.Testing.Postgres;

namespace Predictor.Daemon.Tests.State;

/// <summary>One real PostgreSQL server for the tests of the shared state; each test creates its own database on it.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A fresh database and the daemon's connection to it, with the lease's timing.</summary>
    public async Task<PostgresDatabase> DatabaseAsync(HaOptions? options = null) =>
        new(await Server.CreateDatabaseAsync(), options ?? new HaOptions());

    /// <summary>Claims until the lease is the claim's (it waits for the database to see the holder's lease expire), within 10 s.</summary>
    public static async Task<LeaseView> ClaimUntilMineAsync(PostgresLeaseStore store, LeaseClaim claim)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var lease = await store.ClaimAsync(claim, bound.Token);
            if (lease.Mine)
            {
                return lease;
            }

            await Task.Delay(50, bound.Token);
        }
    }
}


[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
