using System.Collections.Immutable;
using Predictor.Notifications.Routing;

namespace Predictor.Notifications.Tests.Support;

/// <summary>A target that records batches and can be told to fail.</summary>
internal sealed class RecordingTarget(string name, bool grouping) : INotificationTarget
{
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<NotificationBatch> Batches { get; } = [];

    /// <summary>Completes when the first batch has been delivered.</summary>
    public Task FirstDelivery => _first.Task;

    public bool Fail { get; set; }

    public string Name => name;

    public bool SupportsGrouping => grouping;

    public ImmutableArray<Core.Alerts.Alert> Alerts => [.. Batches.SelectMany(b => b.Alerts)];

    public Task SendAsync(NotificationBatch batch, CancellationToken cancellationToken)
    {
        if (Fail)
        {
            throw new Delivery.NotificationDeliveryException("target down");
        }

        Batches.Add(batch);
        _first.TrySetResult();
        return Task.CompletedTask;
    }
}
