using System.Text.Json;
using System.Text.Json.Nodes;
using Predictor.Core.Alerts;
using Predictor.Notifications.Delivery;
using Predictor.Notifications.Routing;

namespace Predictor.Notifications.Alertmanager;

/// <summary>
/// Posts alerts to Alertmanager's v2 API. Firing alerts carry endsAt = now + 4 × resend interval and are posted
/// again every resend interval while active (Alertmanager resolves alerts that stop arriving); a resolve posts the
/// alert with endsAt = the time it cleared. Alertmanager groups, so a batch is posted as one array. Overflow
/// summaries are posted once and expire at their endsAt.
/// </summary>
internal sealed class AlertmanagerTarget : INotificationTarget, IRefreshingTarget
{
    private readonly HttpClient _client;
    private readonly HttpDelivery _delivery;
    private readonly AlertmanagerOptions _options;
    private readonly string? _runbookBaseUrl;
    private readonly TimeProvider _time;
    private readonly Uri _endpoint;
    private readonly Dictionary<string, (Alert Alert, DateTimeOffset StartsAt)> _active = new(StringComparer.Ordinal);
    private DateTimeOffset _lastPost;

    public AlertmanagerTarget(HttpClient client, HttpDelivery delivery, AlertmanagerOptions options, string? runbookBaseUrl, TimeProvider time)
    {
        _client = client;
        _delivery = delivery;
        _options = options;
        _runbookBaseUrl = runbookBaseUrl;
        _time = time;
        var root = options.Url ?? throw new ArgumentException("Alertmanager URL is required.", nameof(options));
        _endpoint = new Uri(root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/"), "api/v2/alerts");
        _lastPost = time.GetUtcNow();
    }

    public string Name => "alertmanager";

    public bool SupportsGrouping => true;

    /// <summary>Number of alerts this target keeps re-posting.</summary>
    internal int ActiveCount => _active.Count;

    public async Task SendAsync(NotificationBatch batch, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var body = new JsonArray();
        foreach (var alert in batch.Alerts)
        {
            var startsAt = _active.TryGetValue(alert.DedupKey, out var known) ? known.StartsAt : alert.At;
            var endsAt = alert.Resolved ? Max(alert.At, startsAt) : now + (4 * _options.ResendInterval);
            body.Add(AlertmanagerPayload.Alert(alert, startsAt, endsAt, _options, _runbookBaseUrl));
        }

        await PostAsync(body, cancellationToken).ConfigureAwait(false);
        foreach (var alert in batch.Alerts)
        {
            // An overflow summary is a one-off: Alertmanager lets it expire at endsAt instead of it firing forever.
            if (alert.Resolved || alert.Condition == OverflowSummary.Condition)
            {
                _active.Remove(alert.DedupKey);
            }
            else
            {
                var startsAt = _active.TryGetValue(alert.DedupKey, out var known) ? known.StartsAt : alert.At;
                _active[alert.DedupKey] = (alert, startsAt);
            }
        }
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_active.Count == 0 || now - _lastPost < _options.ResendInterval)
        {
            return;
        }

        var body = new JsonArray();
        foreach (var (alert, startsAt) in _active.Values)
        {
            body.Add(AlertmanagerPayload.Alert(alert, startsAt, now + (4 * _options.ResendInterval), _options, _runbookBaseUrl));
        }

        await PostAsync(body, cancellationToken).ConfigureAwait(false);
    }

    private async Task PostAsync(JsonArray body, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        await _delivery.PostAsync(_client, _endpoint, bytes, null, cancellationToken).ConfigureAwait(false);
        _lastPost = _time.GetUtcNow();
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
