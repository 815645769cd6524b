using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Predictor.Daemon.Automation;

namespace Predictor.Tests.Daemon;

/// <summary>
/// Per-client rate limits on the daemon's real host. The buckets refill at one request a minute here, so what a test sends
/// within a minute is all that counts: no timing in the assertions.
/// </summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-limits-").FullName;
    private WebApplication? _app;
    private HttpClient? _http;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Api_OverItsBurst_429WithRetryAfterWhileHealthAndPushKeepTheirOwn()
    {
        await StartAsync("--RateLimits:ApiPerMinute=1", "--RateLimits:ApiBurst=3", "--RateLimits:PushPerMinute=1", "--RateLimits:PushBurst=2");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var r = await _http!.GetAsync("/api/v1/status");
            statuses.Add(r.StatusCode);
        }

        using var refused = await _http!.GetAsync("/api/v1/fleet");
        var health = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            using var h = await _http.GetAsync("/healthz");
            return h.StatusCode;
        }));
        using var write = await _http.PostAsync("/write?db=telemetry", new StringContent("host,host=h0001 cpu_load=0.5\n", Encoding.UTF8));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.StartsWith("too many requests from 127.0.0.1: over RateLimits:ApiPerMinute; retry after ", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.All(health, h => Assert.Equal(HttpStatusCode.OK, h));
        Assert.Equal(HttpStatusCode.NoContent, write.StatusCode);
    }

    [Fact]
    public async Task Push_OverItsBurst_429InInfluxShapeWithRetryAfter()
    {
        await StartAsync("--RateLimits:PushPerMinute=1", "--RateLimits:PushBurst=2");
        var line = new StringContent("host,host=h0001 cpu_load=0.5\n", Encoding.UTF8);

        using var first = await _http!.PostAsync("/write?db=telemetry", line);
        using var second = await _http.PostAsync("/api/v2/write?bucket=telemetry", line);
        using var v1 = await _http.PostAsync("/write?db=telemetry", line);
        using var v2 = await _http.PostAsync("/api/v2/write?bucket=telemetry", line);
        using var ping = await _http.GetAsync("/ping");

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent), (first.StatusCode, second.StatusCode));
        Assert.Equal((HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests), (v1.StatusCode, v2.StatusCode));
        Assert.True(v1.Headers.Contains("Retry-After"));
        Assert.True(JsonDocument.Parse(await v1.Content.ReadAsStringAsync()).RootElement.TryGetProperty("error", out _));
        Assert.Equal("too many requests", JsonDocument.Parse(await v2.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NoContent, ping.StatusCode);
    }

    [Fact]
    public async Task Disabled_NoLimit()
    {
        await StartAsync("--RateLimits:Enabled=false", "--RateLimits:ApiPerMinute=1", "--RateLimits:ApiBurst=1");

        var statuses = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            using var r = await _http!.GetAsync("/api/v1/status");
            return r.StatusCode;
        }));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public void Options_ScenarioTurnsThemOffAndBadValuesAreReportedTogether()
    {
        using var scenario = DaemonComposition.Build(new RunSettings(TimeSpan.FromHours(1), 1, null, [], false));
        using var daemon = DaemonComposition.Build(new RunSettings(null, 1, null, ["--RateLimits:ApiBurst=0", "--RateLimits:PushPerMinute=-5", $"--Executor:JournalPath={Path.Combine(_directory, "j.db")}"], false));

        Assert.False(scenario.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value.Enabled);
        Assert.Equal(
            ["RateLimits:ApiBurst: out of range (got 0; expected 1 to 1000000).", "RateLimits:PushPerMinute: out of range (got -5; expected 1 to 6000000)."],
            DaemonComposition.ValidateConfiguration(daemon.Services).Where(e => e.StartsWith("RateLimits:", StringComparison.Ordinal)));
    }

    private async Task StartAsync(params string[] overrides)
    {
        _app = await HttpSurface.StartAsync([.. overrides, "--Api:Token=rate-limit-token-0123", "--Urls=http://127.0.0.1:0", "--Simulation:Hosts=20", "--Telemetry:Source=Push", "--Push:AllowAnonymous=true",
            $"--Automation:KillSwitchFile={Path.Combine(_directory, "kill-switch")}", $"--Executor:JournalPath={Path.Combine(_directory, "journal.db")}", "--Notifications:OwnerEvents:DatabasePath=:memory:"]);
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }
}
