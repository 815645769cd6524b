using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Predictor.Daemon.Telemetry;

namespace Predictor.Http;

/// <summary>The daemon's own HTTP address, once Kestrel has bound its listener (a scenario binds port 0).</summary>
internal sealed class OwnAddress(IHostApplicationLifetime lifetime, IServer server) : IOwnAddress
{
    public async Task<Uri> GetAsync(CancellationToken cancellationToken)
    {
        var started = lifetime.ApplicationStarted;
        if (!started.IsCancellationRequested)
        {
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var onStart = started.Register(() => ready.TrySetResult());
            using var onCancel = cancellationToken.Register(() => ready.TrySetCanceled(cancellationToken));
            await ready.Task.ConfigureAwait(false);
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The daemon has no HTTP listener for the simulator to push to; set Urls or Simulation:EmitUrl.");
        var builder = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (builder.Host is "0.0.0.0" or "[::]" or "::")
        {
            builder.Host = "127.0.0.1";
        }

        builder.Path = "/";
        return builder.Uri;
    }
}
