using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Predictor.Notifications.Delivery;

/// <summary>
/// Posts a JSON body with retries (exponential backoff), a per-attempt and a total timeout, all timed by the
/// injected clock. Retries network errors, timeouts, 408, 429 and 5xx; any other non-success status is final.
/// </summary>
internal sealed class HttpDelivery
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public HttpDelivery(DeliveryOptions options, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        builder.AddTimeout(options.TotalTimeout);
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = options.RetryDelay > TimeSpan.Zero,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(IsTransient),
            });
        }

        builder.AddTimeout(options.AttemptTimeout);
        _pipeline = builder.Build();
    }

    /// <summary>Posts <paramref name="body"/> and returns the successful response's body.</summary>
    public async Task<string> PostAsync(
        HttpClient client,
        Uri url,
        byte[] body,
        Action<HttpRequestHeaders>? headers,
        CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                async token =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                    request.Content.Headers.ContentType = Json;
                    headers?.Invoke(request.Headers);
                    return await client.SendAsync(request, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            throw new NotificationDeliveryException($"POST {url} failed: {e.Message}", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var excerpt = text.Length > 300 ? text[..300] + "…" : text;
                throw new NotificationDeliveryException($"POST {url} returned {(int)response.StatusCode} {response.ReasonPhrase}: {excerpt}");
            }

            return text;
        }
    }

    private static bool IsTransient(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
}
