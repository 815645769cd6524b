using Predictor.Notifications.Routing;

namespace Predictor.Notifications.Console;

/// <summary>Writes one line per alert (see <see cref="AlertText.OneLine"/>).</summary>
internal sealed class ConsoleTarget(TextWriter output, string? runbookBaseUrl) : INotificationTarget
{
    public string Name => "console";

    public bool SupportsGrouping => false;

    public async Task SendAsync(NotificationBatch batch, CancellationToken cancellationToken)
    {
        foreach (var alert in batch.Alerts)
        {
            await output.WriteLineAsync(AlertText.OneLine(alert, runbookBaseUrl).AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
