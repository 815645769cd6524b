using Predictor.Testing;
using Predictor.Testing.Http;

namespace Predictor.Notifications.Tests.Support;

/// <summary>A target test: a manual clock, an HTTP client, and a loopback server recording what the target sends.</summary>
public abstract class HttpTargetTest : IAsyncLifetime
{
    protected ManualTimeProvider Time { get; } = new();

    protected HttpClient Client { get; } = new();

    protected RecordingServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RecordingServer.StartAsync();

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
