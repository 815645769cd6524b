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
            if (!options.Enabled || RateLimitPolicy.KindOf(context.Request.Path.Value ?? "") is not { } kind)
            {
                return RateLimitPartition.GetNoLimiter("");
            }

            var (burst, tokens, period) = RateLimitPolicy.Bucket(options, kind);
            return RateLimitPartition.GetTokenBucketLimiter($"{kind} {context.Connection.RemoteIpAddress}", _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst, TokensPerPeriod = tokens, ReplenishmentPeriod = period, QueueLimit = 0, AutoReplenishment = true,
            });
        });
        limiter.OnRejected = async (rejected, cancellationToken) =>
        {
            var context = rejected.HttpContext;
            var path = context.Request.Path.Value ?? "";
            var kind = RateLimitPolicy.KindOf(path)!;
            refused.Add(1, new KeyValuePair<string, object?>("kind", kind));
            var after = RateLimitPolicy.RetryAfterSeconds(rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null);
            context.Response.Headers.RetryAfter = after.ToString(CultureInfo.InvariantCulture);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(RateLimitPolicy.Refusal(path, kind, context.Connection.RemoteIpAddress?.ToString(), after)), cancellationToken);
        };
    }
}
