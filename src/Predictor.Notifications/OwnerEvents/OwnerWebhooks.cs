using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Predictor.Notifications.Webhooks;

namespace Predictor.Notifications.OwnerEvents;

/// <summary>
/// Tells each owner with a webhook (<see cref="OwnerEventsOptions.Webhooks"/>) of their events as they are announced and
/// as they start, complete, fail or are cancelled. Deliveries run in order on one background loop, so a slow receiver
/// never holds up the daemon; a failed delivery is logged (the owner API still shows the state).
/// </summary>
public sealed class OwnerWebhooks : IHostedService
{
    private readonly OwnerEventsOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly System.Threading.Channels.Channel<MaintenanceEvent> _queue = System.Threading.Channels.Channel.CreateBounded<MaintenanceEvent>(
        new System.Threading.Channels.BoundedChannelOptions(10_000) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly MaintenanceEventStore _store;
    private Task _loop = Task.CompletedTask;

    internal OwnerWebhooks(MaintenanceEventStore store, OwnerEventsOptions options, HttpClient http, TimeProvider time, ILogger<OwnerWebhooks> logger)
    {
        _options = options;
        _http = http;
        _time = time;
        _logger = logger;
        _store = store;
    }

    /// <summary>Deliveries made, for tests and the metrics a caller may export.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    private long _delivered;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Webhooks.Count > 0)
        {
            _store.Changed += Enqueue;
            _loop = Task.Run(DeliverAsync, CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops taking events and delivers those queued, as long as the host's shutdown allows.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _store.Changed -= Enqueue;
        _queue.Writer.TryComplete();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Enqueue(MaintenanceEvent e)
    {
        if (e.Owner is { } owner && _options.Webhooks.ContainsKey(owner))
        {
            _queue.Writer.TryWrite(e);
        }
    }

    private async Task DeliverAsync()
    {
        await foreach (var e in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            var url = _options.Webhooks[e.Owner!];
            var body = JsonSerializer.SerializeToUtf8Bytes(new { owner = e.Owner, @event = OwnerEventDto.From(e) });
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Create(_options.WebhookSecret!, body, _time.GetUtcNow()));
                using var response = await _http.SendAsync(request).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    Log.OwnerWebhookFailed(_logger, e.Owner!, e.Id, e.State.ToString(), $"answered {(int)response.StatusCode}");
                    continue;
                }

                Interlocked.Increment(ref _delivered);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Log.OwnerWebhookFailed(_logger, e.Owner!, e.Id, e.State.ToString(), ex.Message);
            }
        }
    }
}
