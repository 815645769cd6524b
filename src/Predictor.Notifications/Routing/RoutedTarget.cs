using Predictor.Core.Alerts;

namespace Predictor.Notifications.Routing;

/// <summary>
/// One target's routing state: alerts pending per condition, which dedup keys it has received firing (so resolves go
/// only where they mean something), its token bucket and what the bucket held back. Guarded by the router.
/// </summary>
internal sealed class RoutedTarget(TargetRoute route, TokenBucket? bucket)
{
    private readonly Dictionary<string, PendingGroup> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _firingHere = new(StringComparer.Ordinal);

    public TargetRoute Route { get; } = route;

    public TokenBucket? Bucket { get; } = bucket;

    public List<Alert> HeldBack { get; } = [];

    public void Enqueue(Alert alert, DateTimeOffset due)
    {
        var wanted = alert.Resolved
            ? _firingHere.Contains(alert.DedupKey) || IsPending(alert.DedupKey)
            : alert.Severity >= Route.MinSeverity;
        if (!wanted)
        {
            return;
        }

        if (!_pending.TryGetValue(alert.Condition, out var group))
        {
            group = new PendingGroup(due);
            _pending[alert.Condition] = group;
        }

        group.Put(alert);
    }

    public void Delivered(Alert alert)
    {
        if (alert.Resolved)
        {
            _firingHere.Remove(alert.DedupKey);
        }
        else
        {
            _firingHere.Add(alert.DedupKey);
        }
    }

    public List<NotificationBatch> TakeDue(DateTimeOffset now)
    {
        var due = _pending.Where(p => p.Value.Due <= now).OrderBy(p => p.Value.Due).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
        foreach (var (condition, _) in due)
        {
            _pending.Remove(condition);
        }

        return due.Select(p => new NotificationBatch(p.Key, [.. p.Value.Alerts])).ToList();
    }

    public IEnumerable<DateTimeOffset> DueTimes(DateTimeOffset now)
    {
        foreach (var group in _pending.Values)
        {
            yield return group.Due;
        }

        if (HeldBack.Count > 0 && Bucket is not null)
        {
            yield return now + Bucket.UntilNextToken();
        }
    }

    private bool IsPending(string dedupKey) => _pending.Values.Any(g => g.Contains(dedupKey));
}

/// <summary>Alerts of one condition waiting for the group wait to pass.</summary>
internal sealed class PendingGroup(DateTimeOffset due)
{
    private readonly List<Alert> _alerts = [];

    public DateTimeOffset Due { get; } = due;

    public IReadOnlyList<Alert> Alerts => _alerts;

    public bool Contains(string dedupKey) => _alerts.Exists(a => a.DedupKey == dedupKey);

    /// <summary>Keeps the latest state per dedup key, in first-arrival order.</summary>
    public void Put(Alert alert)
    {
        var index = _alerts.FindIndex(a => a.DedupKey == alert.DedupKey);
        if (index >= 0)
        {
            _alerts[index] = alert;
        }
        else
        {
            _alerts.Add(alert);
        }
    }
}
