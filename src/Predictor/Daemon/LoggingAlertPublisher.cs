using Microsoft.Extensions.Logging;
using Predictor.Core.Alerts;

namespace Predictor.Daemon;

/// <summary>The embedded default's alert channel: every alert as one log line on the console.</summary>
public sealed class LoggingAlertPublisher(ILogger<LoggingAlertPublisher> logger) : IAlertPublisher
{
    private int _count;

    public int Published => _count;

    public Task PublishAsync(Alert alert, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        Log.AlertRaised(logger, alert.Resolved ? "RESOLVED" : alert.Severity.ToString().ToUpperInvariant(), alert.Condition, alert.Summary);
        return Task.CompletedTask;
    }
}
