using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Predictor.Core.Configuration;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Telemetry.Influx;

/// <summary>
/// InfluxDB's v1 HTTP API: <c>/write</c> (batched, optionally gzip-compressed, with precision, retention
/// policy and basic or token auth), <c>/query</c> (InfluxQL, chunked JSON, epoch timestamps) and
/// <c>/ping</c>. Every call runs through a retry/circuit-breaker/timeout pipeline.
/// </summary>
public sealed class InfluxClient
{
    private readonly HttpClient _http;
    private readonly InfluxOptions _options;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public InfluxClient(HttpClient http, InfluxOptions options, TimeProvider time, ILogger<InfluxClient>? logger = null)
    {
        OptionsGuard.ThrowIfInvalid(options, nameof(options));
        _http = http;
        _options = options;
        _logger = logger ?? NullLogger<InfluxClient>.Instance;
        _pipeline = InfluxResilience.Build(options, time, _logger);
    }

    public InfluxOptions Options => _options;

    /// <summary>Pings the server; returns its version (the <c>X-Influxdb-Version</c> header).</summary>
    public async Task<string> PingAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync("ping", () => new HttpRequestMessage(HttpMethod.Get, new Uri(_options.BaseAddress, "ping")), cancellationToken);
        await EnsureSuccessAsync(response, "ping", cancellationToken);
        return response.Headers.TryGetValues("X-Influxdb-Version", out var v) ? string.Join(",", v) : "unknown";
    }

    /// <summary>
    /// Writes line protocol in batches of <see cref="InfluxOptions.BatchLines"/> lines, split at line
    /// boundaries, in order. Throws <see cref="InfluxException"/> on a refusal (after retries for transient ones).
    /// </summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> lineProtocol, CancellationToken cancellationToken, TimestampPrecision? precision = null)
    {
        var rest = lineProtocol;
        while (!rest.IsEmpty)
        {
            var end = BatchEnd(rest.Span, _options.BatchLines, out var lines);
            var batch = rest[..end];
            rest = rest[end..];
            await WriteBatchAsync(batch, lines, precision ?? _options.Precision, cancellationToken);
        }
    }

    /// <summary>Runs InfluxQL that changes state (CREATE, DROP, …) with POST; throws on any statement error.</summary>
    public async Task ExecuteAsync(string influxQl, CancellationToken cancellationToken)
    {
        await foreach (var _ in QueryCoreAsync(influxQl, HttpMethod.Post, cancellationToken))
        {
        }
    }

    /// <summary>
    /// Runs an InfluxQL query with chunked results and nanosecond epoch timestamps; yields each series
    /// chunk as it arrives. An error in any statement throws <see cref="InfluxException"/>.
    /// </summary>
    public IAsyncEnumerable<InfluxSeries> QueryAsync(string influxQl, CancellationToken cancellationToken) =>
        QueryCoreAsync(influxQl, HttpMethod.Get, cancellationToken);

    private async IAsyncEnumerable<InfluxSeries> QueryCoreAsync(string influxQl, HttpMethod method, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = new StringBuilder("query?")
            .Append("db=").Append(Uri.EscapeDataString(_options.Database))
            .Append("&epoch=ns&chunked=true&chunk_size=").Append(_options.QueryChunkSize.ToString(CultureInfo.InvariantCulture));
        // InfluxDB reads the statement from the URL on GET and from the form body on POST.
        var form = new[] { new KeyValuePair<string, string>("q", influxQl) };
        if (method == HttpMethod.Get)
        {
            query.Append("&q=").Append(Uri.EscapeDataString(influxQl));
        }

        var uri = new Uri(_options.BaseAddress, query.ToString());
        using var response = await SendAsync(
            "query",
            () => new HttpRequestMessage(method, uri) { Content = method == HttpMethod.Post ? new FormUrlEncodedContent(form) : null },
            cancellationToken,
            HttpCompletionOption.ResponseHeadersRead);
        await EnsureSuccessAsync(response, "query", cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            foreach (var series in InfluxQueryJson.ParseChunk(line))
            {
                yield return series;
            }
        }
    }

    private async Task WriteBatchAsync(ReadOnlyMemory<byte> batch, int lines, TimestampPrecision precision, CancellationToken cancellationToken)
    {
        var path = new StringBuilder("write?db=").Append(Uri.EscapeDataString(_options.Database))
            .Append("&precision=").Append(TimestampPrecisions.V1Name(precision));
        if (_options.RetentionPolicy is { } rp)
        {
            path.Append("&rp=").Append(Uri.EscapeDataString(rp));
        }

        var uri = new Uri(_options.BaseAddress, path.ToString());
        var body = _options.Gzip ? Compress(batch.Span) : batch;
        using var response = await SendAsync("write", () =>
        {
            var content = new ReadOnlyMemoryContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
            if (_options.Gzip)
            {
                content.Headers.ContentEncoding.Add("gzip");
            }

            return new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        }, cancellationToken);

        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            var error = await ReadErrorAsync(response, cancellationToken);
            Log.WriteRejected(_logger, response.StatusCode, error ?? "");
            throw new InfluxException(response.StatusCode, error, "write");
        }

        await EnsureSuccessAsync(response, "write", cancellationToken);
        IngestMetrics.InfluxLinesWritten.Add(lines);
    }

    private async Task<HttpResponseMessage> SendAsync(string operation, Func<HttpRequestMessage> create, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                async (ctx, state) =>
                {
                    try
                    {
                        using var request = state.create();
                        state.self.Authorize(request);
                        var response = await state.self._http.SendAsync(request, state.completion, ctx.CancellationToken);
                        return Outcome.FromResult(response);
                    }
                    catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !state.outer.IsCancellationRequested)
                    {
                        return Outcome.FromException<HttpResponseMessage>(e);
                    }
                },
                context,
                (self: this, create, completion, outer: cancellationToken));
            if (outcome.Exception is { } ex)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new InfluxException($"InfluxDB {operation} at {_options.BaseAddress} failed: {ex.Message}", ex);
            }

            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private void Authorize(HttpRequestMessage request)
    {
        if (_options.Token is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Token", token);
        }
        else if (_options.Username is { } user)
        {
            var raw = Encoding.UTF8.GetBytes($"{user}:{_options.Password}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(raw));
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InfluxException(response.StatusCode, await ReadErrorAsync(response, cancellationToken), operation);
        }
    }

    private static async Task<string?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.Headers.TryGetValues("X-Influxdb-Error", out var header))
        {
            return string.Join(" ", header);
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.TryGetProperty("error", out var e) ? e.GetString() : text;
        }
        catch (JsonException)
        {
            return text.Length == 0 ? null : text;
        }
    }

    private static ReadOnlyMemory<byte> Compress(ReadOnlySpan<byte> data)
    {
        using var buffer = new MemoryStream(data.Length / 4 + 64);
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    /// <summary>The byte offset after <paramref name="maxLines"/> line endings (newlines inside quoted strings included: a split there still lands on a boundary the server accepts).</summary>
    internal static int BatchEnd(ReadOnlySpan<byte> data, int maxLines, out int lines)
    {
        lines = 0;
        var pos = 0;
        while (pos < data.Length)
        {
            var end = LineBoundary.FindEnd(data, pos);
            lines++;
            pos = end < data.Length ? end + 1 : end;
            if (lines == maxLines)
            {
                break;
            }
        }

        return pos;
    }
}
