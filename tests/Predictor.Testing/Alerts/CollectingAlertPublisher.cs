using System.Collections.Concurrent;
using Predictor.Core.Alerts;

namespace Predictor.Testing.Alerts;

/// <summary>An alert publisher that keeps every alert, in the order published, from any thread.</summary>
public sealed class CollectingAlertPublisher : IAlertPublisher
{
    private readonly ConcurrentQueue<Alert> _published = new();

    /// <summary>The alerts published so far; enumerating takes a snapshot.</summary>
    public IReadOnlyCollection<Alert> Published => _published;

    public Task PublishAsync(Alert alert, CancellationToken cancellationToken)
    {
        _published.Enqueue(alert);
        return Task.CompletedTask;
    }
}
