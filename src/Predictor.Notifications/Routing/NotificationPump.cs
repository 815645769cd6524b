using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Predictor.Notifications.Routing;

/// <summary>Calls <see cref="NotificationRouter.PumpAsync"/> every pump interval on the injected clock.</summary>
internal sealed class NotificationPump(NotificationRouter router, RoutingOptions options, TimeProvider time, ILogger<NotificationPump> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await router.PumpAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(options.PumpInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.PumpFailed(logger, e);
                await Task.Delay(options.PumpInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }
}
