using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Predictor.Core.Configuration;

namespace Predictor.Http;

/// <summary>
/// Per-client rate limits, one token bucket per client address and kind of request: the API (everything but the push
/// endpoints and <c>/healthz</c>) and the push endpoints (<c>/write</c>, <c>/api/v2/write</c>). A request over the
/// limit gets 429 with <c>Retry-After</c> and is counted in <c>predictor_http_rate_limited_total</c>. Requests through a
/// proxy share the proxy's address: raise the limits (or turn them off) there. Bound from configuration section "RateLimits".
/// </summary>
[OptionsSection(SectionName)]
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <value>The default value is true for the daemon; false for a <c>--for</c> scenario (its simulator pushes in accelerated time).</value>
    public bool Enabled { get; set; } = true;

    /// <summary>API requests one client address may make per minute, sustained.</summary>
    /// <value>The default value is 1,200 (20 a second; the dashboard polls about one a second).</value>
    [InRange(1, 6_000_000)]
    public int ApiPerMinute { get; set; } = 1200;

    /// <summary>API requests one client address may make at once, above the sustained rate.</summary>
    /// <value>The default value is 120.</value>
    [InRange(1, 1_000_000)]
    public int ApiBurst { get; set; } = 120;

    /// <summary>Writes one client address may push per minute, sustained.</summary>
    /// <value>The default value is 3,600 (60 a second; an agent pushing every 10 s sends 6 a minute).</value>
    [InRange(1, 6_000_000)]
    public int PushPerMinute { get; set; } = 3600;

    /// <summary>Writes one client address may push at once (an agent emptying its buffer after an outage).</summary>
    /// <value>The default value is 600.</value>
    [InRange(1, 1_000_000)]
    public int PushBurst { get; set; } = 600;
}

/// <summary>Checks the RateLimits section at start.</summary>
[OptionsValidator]
internal sealed partial class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>;

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
