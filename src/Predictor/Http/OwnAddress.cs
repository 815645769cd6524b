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

        return ListenerAddress.ForLocalClients([.. server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []]);
    }
}
