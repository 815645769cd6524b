using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Predictor.Daemon.Automation;

namespace Predictor.Http;

/// <summary>
/// Per-client rate limits (<see cref="RateLimitOptions"/>): one token bucket per client address and kind of request, the
/// API and the push endpoints. A request over the limit gets 429 with <c>Retry-After</c> and is counted in
/// <c>predictor_http_rate_limited_total</c>.
/// </summary>
internal static class RateLimits
{
    private const string Push = "push";
    private const string Api = "api";

    /// <summary>The limiter of <see cref="RateLimitOptions"/>; <c>app.UseRateLimiter()</c> applies it.</summary>
    public static IServiceCollection AddPredictorRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>, IMeterFactory>((limiter, options, meters) =>
            Configure(limiter, options.Value, meters.Create("Predictor.Http").CreateCounter<long>("predictor.http.rate_limited", "{request}", "Requests refused with 429 because their client address exceeded its rate limit.")));
        return services;
    }

    internal static void Configure(RateLimiterOptions limiter, RateLimitOptions options, Counter<long> refused)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var kind = KindOf(context.Request.Path);
            if (!options.Enabled || kind is null)
            {
                return RateLimitPartition.GetNoLimiter("");
            }

            var (perMinute, burst) = kind == Push ? (options.PushPerMinute, options.PushBurst) : (options.ApiPerMinute, options.ApiBurst);
            return RateLimitPartition.GetTokenBucketLimiter($"{kind} {context.Connection.RemoteIpAddress}", _ => Bucket(perMinute, burst));
        });
        limiter.OnRejected = async (rejected, cancellationToken) =>
        {
            var context = rejected.HttpContext;
            var kind = KindOf(context.Request.Path)!;
            refused.Add(1, new KeyValuePair<string, object?>("kind", kind));
            var after = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
            context.Response.Headers.RetryAfter = after.ToString(CultureInfo.InvariantCulture);
            context.Response.ContentType = "application/json";
            var message = $"too many requests from {context.Connection.RemoteIpAddress}: over RateLimits:{(kind == Push ? "Push" : "Api")}PerMinute; retry after {after} s";
            object body = context.Request.Path.StartsWithSegments("/api/v2/write") ? new { code = "too many requests", message } : new { error = message };
            await context.Response.WriteAsync(JsonSerializer.Serialize(body), cancellationToken);
        };
    }

    /// <summary>Push or API; null for what is never limited (the liveness probe, InfluxDB clients' ping).</summary>
    private static string? KindOf(PathString path) =>
        path.StartsWithSegments("/write") || path.StartsWithSegments("/api/v2/write") ? Push
        : path.StartsWithSegments("/healthz") || path.StartsWithSegments("/ping") ? null
        : Api;

    /// <summary>A bucket of <paramref name="burst"/> tokens refilled at <paramref name="perMinute"/>, in steps of at least one token a second.</summary>
    private static TokenBucketRateLimiterOptions Bucket(int perMinute, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = Math.Max(1, perMinute / 60),
        ReplenishmentPeriod = perMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / perMinute),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
