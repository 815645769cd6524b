using Microsoft.Extensions.Options;
using Predictor.Core.Configuration;

namespace Predictor.Daemon.Automation;

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
