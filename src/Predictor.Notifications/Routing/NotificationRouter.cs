using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Predictor.Core.Alerts;

namespace Predictor.Notifications.Routing;

/// <summary>
/// Fans alerts out to the configured targets. Per dedup key it suppresses repeats of unchanged content within the
/// repeat interval; per target and condition it collects alerts for the group wait and sends them as one
/// notification where the target supports it; per target a token bucket caps notifications, and what it holds back
/// is counted, logged and summarised in one "N more" notification as soon as a token is free. Delivery happens in
/// <see cref="PumpAsync"/>, which the notification pump calls on the injected clock.
/// </summary>
public sealed class NotificationRouter : IAlertPublisher
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, SentState> _sent = new(StringComparer.Ordinal);
    private readonly List<TargetState> _targets;
    private readonly RouterSettings _settings;
    private readonly TimeProvider _time;
    private readonly NotificationMetrics _metrics;
    private readonly ILogger<NotificationRouter> _logger;

    internal NotificationRouter(
        IEnumerable<TargetRoute> routes,
        RouterSettings settings,
        TimeProvider time,
        NotificationMetrics metrics,
        ILogger<NotificationRouter> logger)
    {
        _settings = settings;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _targets = routes.Select(r => new TargetState(r, r.MaxPerHour > 0 ? new TokenBucket(Math.Max(1, r.Burst), r.MaxPerHour, time) : null)).ToList();
    }

    /// <summary>Names of the targets alerts go to, in configuration order.</summary>
    public IReadOnlyList<string> Targets => _targets.Select(t => t.Route.Target.Name).ToList();

    /// <inheritdoc />
    public async Task PublishAsync(Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Accept(alert);
        }
        finally
        {
            _gate.Release();
        }

        if (_settings.GroupWait <= TimeSpan.Zero)
        {
            await PumpAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Publishes every alert that is active now for <paramref name="condition"/> and resolves those of that
    /// condition that were firing but are no longer in <paramref name="active"/>: the condition cleared.
    /// </summary>
    public async Task PublishActiveAsync(string condition, IEnumerable<Alert> active, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(active);
        var current = active.ToList();
        if (current.FirstOrDefault(a => a.Condition != condition) is { } stranger)
        {
            throw new ArgumentException($"Alert {stranger.DedupKey} has condition {stranger.Condition}, expected {condition}.", nameof(active));
        }

        var keys = current.Select(a => a.DedupKey).ToHashSet(StringComparer.Ordinal);
        List<Alert> cleared;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            cleared = _sent.Values
                .Where(s => !s.Last.Resolved && s.Last.Condition == condition && !keys.Contains(s.Last.DedupKey))
                .Select(s => s.Last with { Resolved = true, At = now })
                .ToList();
        }
        finally
        {
            _gate.Release();
        }

        foreach (var alert in current.Concat(cleared))
        {
            await PublishAsync(alert, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends what is due: groups whose wait is over, overflow summaries whose target has a token again, and
    /// refreshes of active alerts at targets that need them. Delivery failures are logged and counted, never thrown.
    /// </summary>
    public async Task PumpAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            foreach (var target in _targets)
            {
                foreach (var group in target.TakeDue(now))
                {
                    await DeliverGroupAsync(target, group, cancellationToken).ConfigureAwait(false);
                }

                await DeliverOverflowAsync(target, now, cancellationToken).ConfigureAwait(false);
                if (target.Route.Target is IRefreshingTarget refreshing)
                {
                    try
                    {
                        await refreshing.RefreshAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        Log.RefreshFailed(_logger, e, target.Route.Target.Name);
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>When the next group falls due or a held-back summary could go out; null when nothing waits.</summary>
    internal DateTimeOffset? NextDue()
    {
        var times = _targets.SelectMany(t => t.DueTimes(_time.GetUtcNow())).ToList();
        return times.Count == 0 ? null : times.Min();
    }

    private void Accept(Alert alert)
    {
        var now = _time.GetUtcNow();
        var fingerprint = AlertFingerprint.Of(alert);
        if (_sent.TryGetValue(alert.DedupKey, out var previous))
        {
            var unchanged = previous.Fingerprint == fingerprint;
            if ((unchanged && now - previous.SentAt < _settings.RepeatInterval) || (alert.Resolved && previous.Last.Resolved))
            {
                _metrics.Deduplicated();
                Log.Deduplicated(_logger, alert.DedupKey);
                return;
            }
        }
        else if (alert.Resolved)
        {
            // Nothing was ever sent for this key, so there is nothing to resolve.
            _metrics.Deduplicated();
            Log.Deduplicated(_logger, alert.DedupKey);
            return;
        }

        _sent[alert.DedupKey] = new SentState(alert, fingerprint, now);
        foreach (var target in _targets)
        {
            target.Enqueue(alert, now + _settings.GroupWait);
        }
    }

    private async Task DeliverGroupAsync(TargetState target, NotificationBatch group, CancellationToken cancellationToken)
    {
        var batches = target.Route.Target.SupportsGrouping
            ? [group]
            : group.Alerts.Select(a => group with { Alerts = [a] }).ToList();
        foreach (var batch in batches)
        {
            // Resolutions close incidents the target already knows about, so they are never held back.
            var onlyResolves = batch.Alerts.All(a => a.Resolved);
            if (!onlyResolves && target.Bucket is { } bucket && !bucket.TryTake())
            {
                var firing = batch.Alerts.Where(a => !a.Resolved).ToList();
                target.HeldBack.AddRange(firing);
                _metrics.RateLimited(target.Route.Target.Name, firing.Count);
                Log.RateLimited(_logger, target.Route.Target.Name, firing.Count, batch.Condition);
                var resolves = batch.Alerts.Where(a => a.Resolved).ToImmutableArray();
                if (resolves.IsEmpty)
                {
                    continue;
                }

                await SendAsync(target, batch with { Alerts = resolves }, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await SendAsync(target, batch, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeliverOverflowAsync(TargetState target, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (target.HeldBack.Count == 0 || target.Bucket is not { } bucket || !bucket.TryTake())
        {
            return;
        }

        var summary = OverflowSummary.Create(target.Route.Target.Name, target.HeldBack, now);
        var count = target.HeldBack.Count;
        if (await SendAsync(target, new NotificationBatch(summary.Condition, [summary]), cancellationToken).ConfigureAwait(false))
        {
            target.HeldBack.Clear();
            Log.OverflowSent(_logger, target.Route.Target.Name, count);
        }
    }

    private async Task<bool> SendAsync(TargetState target, NotificationBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            await target.Route.Target.SendAsync(batch, cancellationToken).ConfigureAwait(false);
            _metrics.Sent(target.Route.Target.Name);
            foreach (var alert in batch.Alerts)
            {
                target.Delivered(alert);
            }

            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _metrics.Failed(target.Route.Target.Name);
            Log.DeliveryFailed(_logger, e, target.Route.Target.Name, batch.Alerts.Length, batch.Condition);

            // Forget what was not delivered so the next publish of the same alert is not taken for a repeat.
            foreach (var alert in batch.Alerts)
            {
                if (_sent.TryGetValue(alert.DedupKey, out var state) && ReferenceEquals(state.Last, alert))
                {
                    _sent.Remove(alert.DedupKey);
                }
            }

            return false;
        }
    }

    private sealed record SentState(Alert Last, string Fingerprint, DateTimeOffset SentAt);

    private sealed class TargetState(TargetRoute route, TokenBucket? bucket)
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

    private sealed class PendingGroup(DateTimeOffset due)
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
}
