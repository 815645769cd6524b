using Microsoft.Extensions.Hosting;

namespace Predictor.Daemon.Automation;

/// <summary>Looks for the kill-switch file between passes, so touching it stops a running evacuation within a poll interval.</summary>
internal sealed class KillSwitchWatcher(AutomationControl control, AutomationOptions options, TimeProvider timeProvider) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            control.RefreshKillSwitch();
            try
            {
                await Task.Delay(options.KillSwitchPollInterval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
