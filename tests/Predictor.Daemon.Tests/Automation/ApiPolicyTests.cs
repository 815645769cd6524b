using System.Text;
using System.Text.Json;
using Predictor.Daemon.Automation;

namespace Predictor.Daemon.Tests.Automation;

/// <summary>The HTTP layer's decisions that live in the library: rate-limit kinds and buckets, cross-site refusals, reason bodies.</summary>
public sealed class ApiPolicyTests
{
    [Theory]
    [InlineData("/write", RateLimitPolicy.Push)]
    [InlineData("/WRITE", RateLimitPolicy.Push)]
    [InlineData("/api/v2/write", RateLimitPolicy.Push)]
    [InlineData("/write/more", RateLimitPolicy.Push)]
    [InlineData("/writer", RateLimitPolicy.Api)]
    [InlineData("/api/v1/status", RateLimitPolicy.Api)]
    [InlineData("/healthz", null)]
    [InlineData("/ping", null)]
    [InlineData("/pingpong", RateLimitPolicy.Api)]
    public void KindOf_MatchesWholePathSegments(string path, string? kind) => Assert.Equal(kind, RateLimitPolicy.KindOf(path));

    [Fact]
    public void Bucket_BelowOneTokenASecond_RefillsOneTokenPerInterval()
    {
        var options = new RateLimitOptions { ApiPerMinute = 30, ApiBurst = 7, PushPerMinute = 600, PushBurst = 50 };

        Assert.Equal((7, 1, TimeSpan.FromSeconds(2)), RateLimitPolicy.Bucket(options, RateLimitPolicy.Api));
        Assert.Equal((50, 10, TimeSpan.FromSeconds(1)), RateLimitPolicy.Bucket(options, RateLimitPolicy.Push));
        Assert.Equal(3, RateLimitPolicy.RetryAfterSeconds(TimeSpan.FromSeconds(2.1)));
        Assert.Equal(1, RateLimitPolicy.RetryAfterSeconds(null));
    }

    [Fact]
    public void Refusal_OnTheV2Write_UsesInfluxDbsErrorShape()
    {
        Assert.Equal("{\"code\":\"too many requests\",\"message\":\"too many requests from 10.0.0.1: over RateLimits:PushPerMinute; retry after 2 s\"}",
            JsonSerializer.Serialize(RateLimitPolicy.Refusal("/api/v2/write", RateLimitPolicy.Push, "10.0.0.1", 2)));
        Assert.Equal("{\"error\":\"too many requests from 10.0.0.1: over RateLimits:ApiPerMinute; retry after 1 s\"}",
            JsonSerializer.Serialize(RateLimitPolicy.Refusal("/api/v1/pause", RateLimitPolicy.Api, "10.0.0.1", 1)));
    }

    [Theory]
    [InlineData("", "", null)]
    [InlineData("same-origin", "http://127.0.0.1:8080", null)]
    [InlineData("cross-site", "", "a browser sent this request on behalf of another site (Sec-Fetch-Site: cross-site)")]
    [InlineData("", "http://evil.example", "a browser sent this request from another origin (http://evil.example), not from 127.0.0.1:8080")]
    public void CrossSite_RefusesOtherSitesOnly(string secFetchSite, string origin, string? refusal) =>
        Assert.Equal(refusal, ApiAccess.CrossSite(secFetchSite, origin, "127.0.0.1:8080"));

    [Fact]
    public void Refusal_NeedsAMatchingTokenWithTheRole()
    {
        var callers = new ApiCallers("operator-token", new Dictionary<string, ApiCaller> { ["viewer"] = new() { Token = "viewer-token", Role = ApiRole.Read } });

        Assert.Equal((401, "expected an 'Authorization: Bearer TOKEN' header"), ApiAccess.Refusal(callers, ApiAccess.BearerToken("Basic abc"), ApiRole.Operate, out _));
        Assert.Equal(401, ApiAccess.Refusal(callers, ApiAccess.BearerToken("Bearer wrong"), ApiRole.Operate, out _)?.Status);
        Assert.Equal(403, ApiAccess.Refusal(callers, ApiAccess.BearerToken("Bearer viewer-token"), ApiRole.Operate, out var viewer)?.Status);
        Assert.Equal("viewer", viewer);
        Assert.Null(ApiAccess.Refusal(callers, Encoding.UTF8.GetBytes("operator-token"), ApiRole.Operate, out _));
    }

    [Fact]
    public void Reason_ReadsTheOptionalField_AndNamesWhatIsWrong()
    {
        static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

        Assert.Equal((null, null), OperatorActions.Reason(null));
        Assert.Equal(("disk replaced", null), OperatorActions.Reason(Json("{\"reason\": \"disk replaced\"}")));
        Assert.Equal((null, null), OperatorActions.Reason(Json("{}")));
        Assert.Equal((null, "expected an object like {\"reason\": \"...\"}, got array"), OperatorActions.Reason(Json("[]")));
        Assert.Equal((null, "reason: expected a string, got number"), OperatorActions.Reason(Json("{\"reason\": 3}")));
    }
}
