using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Predictor.Tests.Daemon;

/// <summary>The daemon's real host with its HTTP surface alone: no pipeline loop acting on (or pushing telemetry of) the simulated fleet.</summary>
internal static class HttpSurface
{
    public static async Task<WebApplication> StartAsync(params string[] arguments)
    {
        var app = DaemonComposition.Build(new RunSettings(null, 1, null, arguments, false), configureServices: services =>
        {
            foreach (var worker in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(Predictor.Daemon.PipelineWorker)).ToList())
            {
                services.Remove(worker);
            }
        });
        await app.StartAsync();
        return app;
    }
}
