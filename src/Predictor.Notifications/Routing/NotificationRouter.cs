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
    // _state guards dedup and pending state (held briefly); _delivery serialises pump passes (held while sending).
    private readonly object _state = new();
    private readonly SemaphoreSlim _delivery = new(1, 1);
    private readonly Dictionary<string, SentState> _sent = new(StringComparer.Ordinal);
    private readonly List<RoutedTarget> _targets;
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
        _targets = routes.Select(r => new RoutedTarget(r, r.MaxPerHour > 0 ? new TokenBucket(Math.Max(1, r.Burst), r.MaxPerHour, time) : null)).ToList();
    }

    /// <summary>Names of the targets alerts go to, in configuration order.</summary>
    public IReadOnlyList<string> Targets => _targets.Select(t => t.Route.Target.Name).ToList();

    /// <inheritdoc />
    public async Task PublishAsync(Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        lock (_state)
        {
            Accept(alert);
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
        lock (_state)
        {
            var now = _time.GetUtcNow();
            cleared = _sent.Values
                .Where(s => !s.Last.Resolved && s.Last.Condition == condition && !keys.Contains(s.Last.DedupKey))
                .Select(s => s.Last with { Resolved = true, At = now })
                .ToList();
        }

        foreach (var alert in current.Concat(cleared))
        {
            await PublishAsync(alert, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends what is due: groups whose wait is over, overflow summaries whose target has a token again, and
    /// refreshes of active alerts at targets that need them. Delivery failures are logged and counted, never thrown.
    /// Publishing does not wait for a delivery in progress (only for the pump when the group wait is zero).
    /// </summary>
    public async Task PumpAsync(CancellationToken cancellationToken)
    {
        await _delivery.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            List<(RoutedTarget Target, List<NotificationBatch> Groups)> due;
            lock (_state)
            {
                due = _targets.Select(t => (t, t.TakeDue(now))).ToList();
            }

            foreach (var (target, groups) in due)
            {
                foreach (var group in groups)
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
            _delivery.Release();
        }
    }

    /// <summary>When the next group falls due or a held-back summary could go out; null when nothing waits.</summary>
    internal DateTimeOffset? NextDue()
    {
        lock (_state)
        {
            var times = _targets.SelectMany(t => t.DueTimes(_time.GetUtcNow())).ToList();
            return times.Count == 0 ? null : times.Min();
        }
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

    private async Task DeliverGroupAsync(RoutedTarget target, NotificationBatch group, CancellationToken cancellationToken)
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
                lock (_state)
                {
                    target.HeldBack.AddRange(firing);
                }

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

    private async Task DeliverOverflowAsync(RoutedTarget target, DateTimeOffset now, CancellationToken cancellationToken)
    {
        List<Alert> heldBack;
        lock (_state)
        {
            heldBack = [.. target.HeldBack];
        }

        if (heldBack.Count == 0 || target.Bucket is not { } bucket || !bucket.TryTake())
        {
            return;
        }

        var summary = OverflowSummary.Create(target.Route.Target.Name, heldBack, now);
        if (await SendAsync(target, new NotificationBatch(summary.Condition, [summary]), cancellationToken).ConfigureAwait(false))
        {
            lock (_state)
            {
                target.HeldBack.RemoveRange(0, heldBack.Count);
            }

            Log.OverflowSent(_logger, target.Route.Target.Name, heldBack.Count);
        }
    }

    private async Task<bool> SendAsync(RoutedTarget target, NotificationBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            await target.Route.Target.SendAsync(batch, cancellationToken).ConfigureAwait(false);
            _metrics.Sent(target.Route.Target.Name);
            lock (_state)
            {
                foreach (var alert in batch.Alerts)
                {
                    target.Delivered(alert);
                }
            }

            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _metrics.Failed(target.Route.Target.Name);
            Log.DeliveryFailed(_logger, e, target.Route.Target.Name, batch.Alerts.Length, batch.Condition);

            // Forget what was not delivered so the next publish of the same alert is not taken for a repeat.
            lock (_state)
            {
                foreach (var alert in batch.Alerts)
                {
                    if (_sent.TryGetValue(alert.DedupKey, out var state) && ReferenceEquals(state.Last, alert))
                    {
                        _sent.Remove(alert.DedupKey);
                    }
                }
            }

            return false;
        }
    }

    private sealed record SentState(Alert Last, string Fingerprint, DateTimeOffset SentAt);
}
