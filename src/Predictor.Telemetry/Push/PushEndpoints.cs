using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Telemetry.Push;

/// <summary>
/// Maps InfluxDB's write endpoints onto an ASP.NET Core app: <c>POST /write</c> (v1: <c>db</c>, <c>rp</c>,
/// <c>precision</c>, <c>u</c>/<c>p</c> or a token), <c>POST /api/v2/write</c> (v2: <c>org</c>, <c>bucket</c>,
/// <c>precision</c>, token) and <c>GET|HEAD /ping</c>. Status codes follow InfluxDB: 204 written; 400 bad
/// request or malformed lines (valid lines of the batch are kept: a partial write); 401 bad or missing credentials (with no
/// <c>Push:Tokens</c> configured every write, unless <c>Push:AllowAnonymous</c>);
/// 413 body over the limit; 503 when the forwarding spool is full.
/// </summary>
public static class PushEndpoints
{
    /// <summary>The version reported by <c>/ping</c> in <c>X-Influxdb-Version</c>.</summary>
    public const string Version = "1.8-predictor";

    public static IEndpointRouteBuilder MapInfluxPush(this IEndpointRouteBuilder endpoints, InfluxPushHandler handler) =>
        endpoints.MapInfluxPush(_ => handler);

    /// <summary>Maps the endpoints with the handler resolved per request (e.g. from the request's services), so building it waits until it is needed.</summary>
    public static IEndpointRouteBuilder MapInfluxPush(this IEndpointRouteBuilder endpoints, Func<HttpContext, InfluxPushHandler> handlerOf)
    {
        endpoints.MapPost("/write", context => HandleAsync(context, handlerOf(context), v2: false));
        endpoints.MapPost("/api/v2/write", context => HandleAsync(context, handlerOf(context), v2: true));
        endpoints.MapMethods("/ping", ["GET", "HEAD"], context =>
        {
            context.Response.Headers["X-Influxdb-Version"] = Version;
            context.Response.Headers["X-Influxdb-Build"] = "Predictor";
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        return endpoints;
    }

    private static async Task HandleAsync(HttpContext context, InfluxPushHandler handler, bool v2)
    {
        var request = context.Request;
        var options = handler.Options;
        context.Response.Headers["X-Influxdb-Version"] = Version;
        var tokens = options.Tokens.Count > 0 || options.HostTokens.Count > 0;
        if (!tokens && !options.AllowAnonymous && options.ClientCertificates == PushClientCertificates.None)
        {
            await ErrorAsync(context, v2, StatusCodes.Status401Unauthorized, "unauthorized", "no Push:Tokens are configured, so no write is accepted (set Push:Tokens, or Push:AllowAnonymous=true for a lab)");
            return;
        }

        // Kestrel checked the certificate against the CA when the connection was made; checked again here, so a
        // listener that was not told (or a CA since rotated) cannot let one through
        var certified = handler.ClientCertificates is { } trust && context.Connection.ClientCertificate is { } certificate && trust.Trusts(certificate);
        if (options.ClientCertificates == PushClientCertificates.Required && !certified)
        {
            await ErrorAsync(context, v2, StatusCodes.Status401Unauthorized, "unauthorized", "a TLS client certificate signed by a CA of Push:ClientCaFile is required");
            return;
        }

        HostToken? bound = null;
        var byCertificate = certified && (options.ClientCertificates == PushClientCertificates.Optional || !tokens);
        if (!byCertificate && ((tokens && !Authorized(request, options, v2, out bound)) || (!tokens && !options.AllowAnonymous)))
        {
            await ErrorAsync(context, v2, StatusCodes.Status401Unauthorized, "unauthorized", v2 ? "unauthorized access" : "authorization failed");
            return;
        }

        var target = v2 ? request.Query["bucket"].ToString() : request.Query["db"].ToString();
        if (target.Length == 0)
        {
            await ErrorAsync(context, v2, StatusCodes.Status400BadRequest, "invalid", v2 ? "bucket not specified" : "database is required");
            return;
        }

        var precisionText = request.Query["precision"].ToString();
        if (!(v2 ? TimestampPrecisions.TryParseV2(precisionText, out var precision) : TimestampPrecisions.TryParseV1(precisionText, out precision)))
        {
            await ErrorAsync(context, v2, StatusCodes.Status400BadRequest, "invalid", v2
                ? $"invalid precision \"{precisionText}\": expected ns, us, ms or s"
                : $"invalid precision \"{precisionText}\": expected n, ns, u, ms, s, m or h (InfluxDB 1.x would store it as nanoseconds)");
            return;
        }

        var body = await ReadBodyAsync(context, options.MaxBodyBytes);
        if (body.Status != 0)
        {
            await ErrorAsync(context, v2, body.Status, body.Status == StatusCodes.Status413PayloadTooLarge ? "request too large" : "invalid", body.Error!);
            return;
        }

        PushOutcome outcome;
        try
        {
            outcome = await handler.IngestAsync(body.Bytes.AsMemory(0, body.Length), precision, bound, context.RequestAborted);
        }
        finally
        {
            // bodies are large (a Telegraf batch is hundreds of KB): pooled, so steady pushes do not churn the large-object heap
            if (body.Bytes.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(body.Bytes);
            }
        }

        if (outcome.SpoolFull)
        {
            context.Response.Headers.RetryAfter = "10";
            await ErrorAsync(context, v2, StatusCodes.Status503ServiceUnavailable, "unavailable", "spool full: InfluxDB is not taking points; retry later");
            return;
        }

        if (outcome.Errors.Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var detail = string.Join("\n", outcome.Errors.Take(100).Select(e => e.ToString()));
        if (outcome.Errors.Count > 100)
        {
            detail += $"\n… and {outcome.Errors.Count - 100} more";
        }

        var message = outcome.Accepted == 0
            ? detail
            : v2 ? $"partial write error ({outcome.Accepted} written): {detail}" : $"partial write: {detail} dropped=0";
        await ErrorAsync(context, v2, StatusCodes.Status400BadRequest, "invalid", message);
    }

    /// <summary>True when the request bears a token; <paramref name="bound"/> is the host token it bears (null for a fleet token).</summary>
    private static bool Authorized(HttpRequest request, PushOptions options, bool v2, out HostToken? bound)
    {
        bound = null;
        var header = request.Headers.Authorization.ToString();
        string? presented = null;
        if (header.StartsWith("Token ", StringComparison.OrdinalIgnoreCase) || header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = header[(header.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim();
        }
        else if (!v2 && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                presented = colon < 0 ? null : decoded[(colon + 1)..];
            }
            catch (FormatException)
            {
                return false;
            }
        }
        else if (!v2 && request.Query.TryGetValue("p", out var p))
        {
            presented = p.ToString();
        }

        if (presented is null)
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(presented);
        var ok = false;
        foreach (var token in options.Tokens)
        {
            ok |= CryptographicOperations.FixedTimeEquals(bytes, Encoding.UTF8.GetBytes(token));
        }

        foreach (var host in options.HostTokens)
        {
            if (CryptographicOperations.FixedTimeEquals(bytes, Encoding.UTF8.GetBytes(host.Token!)) && !ok)
            {
                bound = host;
            }
        }

        return ok || bound is not null;
    }

    private static async Task<(byte[] Bytes, int Length, int Status, string? Error)> ReadBodyAsync(HttpContext context, int limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return ([], 0, StatusCodes.Status413PayloadTooLarge, "Request Entity Too Large");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        var gzip = context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        var source = gzip ? new GZipStream(context.Request.Body, CompressionMode.Decompress, leaveOpen: true) : context.Request.Body;
        try
        {
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, (int)Math.Min(context.Request.ContentLength ?? 64 * 1024, limit) * (gzip ? 8 : 1) + 1));
            var length = 0;
            var handedOver = false;
            try
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length > limit)
                        {
                            return ([], 0, StatusCodes.Status413PayloadTooLarge, "Request Entity Too Large");
                        }

                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1L));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var n = await source.ReadAsync(buffer.AsMemory(length), context.RequestAborted);
                    if (n == 0)
                    {
                        break;
                    }

                    length += n;
                }

                if (length > limit)
                {
                    return ([], 0, StatusCodes.Status413PayloadTooLarge, "Request Entity Too Large");
                }

                handedOver = true;
                return (buffer, length, 0, null);
            }
            finally
            {
                if (!handedOver)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (InvalidDataException e)
        {
            return ([], 0, StatusCodes.Status400BadRequest, $"invalid gzip body: {e.Message}");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ([], 0, StatusCodes.Status413PayloadTooLarge, "Request Entity Too Large");
        }
        finally
        {
            if (gzip)
            {
                await source.DisposeAsync();
            }
        }
    }

    private static async Task ErrorAsync(HttpContext context, bool v2, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (!v2)
        {
            context.Response.Headers["X-Influxdb-Error"] = HeaderSafe(message);
        }

        var json = v2
            ? JsonSerializer.Serialize(new Dictionary<string, string> { ["code"] = code, ["message"] = message })
            : JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = message });
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    /// <summary>
    /// The error as a header may carry it: printable ASCII only (Kestrel refuses anything else, and would answer 500
    /// after the accepted lines were spooled, so the writer's retry would store them twice), line breaks as spaces,
    /// other bytes as <c>\uXXXX</c>, cut to InfluxDB's 1,024 characters. The body keeps the text as it is.
    /// </summary>
    internal static string HeaderSafe(string message)
    {
        var safe = new StringBuilder(Math.Min(message.Length, 1024));
        foreach (var c in message)
        {
            if (safe.Length >= 1024)
            {
                break;
            }

            _ = c switch
            {
                '\n' or '\r' or '\t' => safe.Append(' '),
                >= ' ' and <= '~' => safe.Append(c),
                _ => safe.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
            };
        }

        return safe.Length > 1024 ? safe.ToString(0, 1024) : safe.ToString();
    }
}
