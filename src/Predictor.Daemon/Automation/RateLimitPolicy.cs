namespace Predictor.Daemon.Automation;

/// <summary>
/// The per-client rate-limit policy of <see cref="RateLimitOptions"/>: which requests are limited and how (one token
/// bucket per client address and kind of request) and what a refused client is told. The HTTP layer applies it.
/// </summary>
public static class RateLimitPolicy
{
    /// <summary>The kind of the telemetry write endpoints.</summary>
    public const string Push = "push";

    /// <summary>The kind of every other endpoint that is limited.</summary>
    public const string Api = "api";

    /// <summary>Push or API; null for what is never limited (the liveness probe, InfluxDB clients' ping).</summary>
    public static string? KindOf(string path) =>
        Under(path, "/write") || Under(path, "/api/v2/write") ? Push
        : Under(path, "/healthz") || Under(path, "/ping") ? null
        : Api;

    /// <summary>
    /// The bucket of a kind: <c>Burst</c> tokens refilled at the kind's rate per minute, in steps of at least one token a
    /// second (<c>Tokens</c> every <c>Period</c>).
    /// </summary>
    public static (int Burst, int Tokens, TimeSpan Period) Bucket(RateLimitOptions options, string kind)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (perMinute, burst) = kind == Push ? (options.PushPerMinute, options.PushBurst) : (options.ApiPerMinute, options.ApiBurst);
        return (burst, Math.Max(1, perMinute / 60), perMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / perMinute));
    }

    /// <summary>Whole seconds a refused client should wait: the limiter's hint rounded up, at least 1.</summary>
    public static int RetryAfterSeconds(TimeSpan? hint) => hint is { } wait ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;

    /// <summary>The 429 body: InfluxDB v2's error shape on <c>/api/v2/write</c>, the API's elsewhere.</summary>
    public static object Refusal(string path, string kind, string? client, int retryAfterSeconds)
    {
        var message = $"too many requests from {client}: over RateLimits:{(kind == Push ? "Push" : "Api")}PerMinute; retry after {retryAfterSeconds} s";
        return Under(path, "/api/v2/write") ? new { code = "too many requests", message } : new { error = message };
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="segment"/> or below it, ignoring case (as ASP.NET Core's <c>StartsWithSegments</c>).</summary>
    private static bool Under(string path, string segment) =>
        path.StartsWith(segment, StringComparison.OrdinalIgnoreCase) && (path.Length == segment.Length || path[segment.Length] == '/');
}
