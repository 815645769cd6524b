using Predictor.Testing.Postgres;

namespace Predictor.IntegrationTests.Ha;

/// <summary>One real PostgreSQL server for a test class; each test (each kill point) creates its own database on it.</summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
