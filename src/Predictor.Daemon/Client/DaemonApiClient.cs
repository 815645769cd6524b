using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Predictor.Daemon.Client;

/// <summary>What the daemon answered: its HTTP status and JSON body.</summary>
public sealed record ApiAnswer(int Status, JsonElement Body)
{
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>The daemon's own words for a refusal (<c>error</c> or <c>message</c>), else the status.</summary>
    public string Refusal => Body.ValueKind == JsonValueKind.Object && (Body.TryGetProperty("error", out var e) || Body.TryGetProperty("message", out e))
        ? e.ToString()
        : $"HTTP {Status}";
}

/// <summary>The daemon could not be reached at all (refused, timed out, no such host).</summary>
public sealed class DaemonUnreachableException(Uri url, string reason, Exception inner) : Exception($"cannot reach the daemon at {url}: {reason}", inner);

/// <summary>The on-call client of the daemon's HTTP API (<c>predictor status</c>, <c>pause</c>, …).</summary>
public sealed class DaemonApiClient(HttpClient http, Uri url, string? token)
{
    /// <summary>Calls <paramref name="path"/>; a mutating call carries <paramref name="reason"/> as <c>{"reason": …}</c>.</summary>
    /// <exception cref="DaemonUnreachableException">Nothing answered.</exception>
    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, string? reason, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(url, path.TrimStart('/')));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (reason is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(new { reason }), Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            using var body = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "null" : text);
            return new ApiAnswer((int)response.StatusCode, body.RootElement.Clone());
        }
        catch (HttpRequestException e)
        {
            throw new DaemonUnreachableException(url, (e.InnerException as SocketException)?.Message.ToLowerInvariant() ?? e.Message, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DaemonUnreachableException(url, "timed out", e);
        }
    }
}
