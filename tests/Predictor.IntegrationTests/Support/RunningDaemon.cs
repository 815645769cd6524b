using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Predictor.IntegrationTests.Support;

/// <summary>
/// The daemon on its embedded default, running at an hour per second on a free loopback port, its
/// journal and owner events in memory; only critical alerts on the console.
/// </summary>
internal sealed class RunningDaemon : IAsyncDisposable
{
    private RunningDaemon(WebApplication app, Uri url)
    {
        App = app;
        Url = url;
        Http = new HttpClient { BaseAddress = url };
    }

    public WebApplication App { get; }

    /// <summary>The daemon's base address, ending in '/'.</summary>
    public Uri Url { get; }

    public HttpClient Http { get; }

    public static async Task<RunningDaemon> StartAsync(params string[] overrides)
    {
        var app = DaemonComposition.Build(new RunSettings(null, 3600, null,
            ["--Urls=http://127.0.0.1:0", "--Executor:JournalPath=:memory:", "--Notifications:OwnerEvents:DatabasePath=:memory:", "--Notifications:Console:MinSeverity=Critical", .. overrides],
            Verbose: false));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new RunningDaemon(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Polls <paramref name="done"/> every 200 ms for up to two minutes of real time.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline && !await done())
        {
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
