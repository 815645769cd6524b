using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Predictor.Daemon;
using Predictor.Daemon.Automation;

using Predictor.Http;
using Predictor.Learning.Lifecycle;
using Predictor.Notifications.OwnerEvents;

namespace Predictor.Tests.Daemon.Automation;

/// <summary>The operator's HTTP controls on the daemon's real host (loopback, free port); the pipeline loop is left out.</summary>
public sealed class AutomationApiTests : IAsyncLifetime
{
    private const string Token = "s3cret-token-0123456789";
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-api-").FullName;
    private WebApplication? _app;
    private HttpClient? _http;

    private string KillSwitchFile => Path.Combine(_directory, "kill-switch");

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
    public async Task Pause_WithTheToken_StopsAutomationUntilResume_LoopbackWithoutItIsRefused()
    {
        await StartAsync();

        var anonymous = await PostAsync("/api/v1/pause", """{"reason": "change freeze"}""", token: "");
        var paused = await PostAsync("/api/v1/pause", """{"reason": "change freeze"}""");
        var status = await GetAsync("/api/v1/status");
        var resumed = await PostAsync("/api/v1/resume", null);
        var after = await GetAsync("/api/v1/status");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status); // loopback is no credential
        Assert.Equal(HttpStatusCode.OK, paused.Status);
        Assert.Equal("paused", paused.Body.GetProperty("state").GetString());
        Assert.True(status.GetProperty("paused").GetBoolean());
        Assert.Equal("paused", status.GetProperty("automation").GetProperty("state").GetString());
        Assert.Equal("change freeze", status.GetProperty("automation").GetProperty("pause").GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.OK, resumed.Status);
        Assert.True(resumed.Body.GetProperty("resumed").GetBoolean());
        Assert.False(after.GetProperty("paused").GetBoolean());
        Assert.Equal("running", after.GetProperty("automation").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Pause_TokenConfigured_RefusesMissingOrWrongBearerToken()
    {
        await StartAsync($"--Api:Token={Token}");

        var missing = await PostAsync("/api/v1/pause", null, token: "");
        var wrong = await PostAsync("/api/v1/pause", null, "not-the-token-0000000");
        var status = await GetAsync("/api/v1/automation");
        var right = await PostAsync("/api/v1/pause", null, Token);

        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
        Assert.Equal("expected an 'Authorization: Bearer TOKEN' header", missing.Body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal("the bearer token does not match", wrong.Body.GetProperty("error").GetString());
        Assert.Equal("running", status.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.Equal("paused", right.Body.GetProperty("state").GetString());
    }

    [Fact]
    public async Task KillSwitch_PostedThenDeleted_CreatesFileRefusesResumeAndReleases()
    {
        await StartAsync();

        var engaged = await PostAsync("/api/v1/kill-switch", """{"reason": "storage incident"}""");
        var fileExists = File.Exists(KillSwitchFile);
        var resume = await PostAsync("/api/v1/resume", null);
        var released = await SendAsync(HttpMethod.Delete, "/api/v1/kill-switch", null, Token);

        Assert.Equal(HttpStatusCode.OK, engaged.Status);
        Assert.Equal("kill-switch", engaged.Body.GetProperty("state").GetString());
        Assert.Equal("storage incident", engaged.Body.GetProperty("killSwitch").GetProperty("reason").GetString());
        Assert.True(fileExists);
        Assert.Equal(HttpStatusCode.Conflict, resume.Status);
        Assert.Equal($"the kill switch is engaged (storage incident); release it first: DELETE /api/v1/kill-switch or remove {KillSwitchFile}", resume.Body.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, released.Status);
        Assert.Equal("kill switch released; automation resumed", released.Body.GetProperty("message").GetString());
        Assert.False(File.Exists(KillSwitchFile));
        Assert.Equal("running", (await GetAsync("/api/v1/automation")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task KillSwitchFile_TouchedByOperator_EngagesWithinPollIntervalAndRemovingItReleases()
    {
        await StartAsync("--Automation:KillSwitchPollInterval=00:00:00.020");

        await File.WriteAllTextAsync(KillSwitchFile, "");
        await WaitForStateAsync("kill-switch");
        File.Delete(KillSwitchFile);
        await WaitForStateAsync("running");

        Assert.False(_app!.Services.GetRequiredService<AutomationControl>().Stopped);
    }

    [Fact]
    public async Task KillSwitch_EngagedByConfiguration_CannotBeReleasedOverHttp()
    {
        await StartAsync("--Automation:KillSwitch=true");

        var released = await SendAsync(HttpMethod.Delete, "/api/v1/kill-switch", null, Token);

        Assert.Equal(HttpStatusCode.Conflict, released.Status);
        Assert.Equal("the kill switch is engaged by Automation:KillSwitch in the configuration; remove it there and restart", released.Body.GetProperty("message").GetString());
        Assert.Equal("configuration", (await GetAsync("/api/v1/automation")).GetProperty("killSwitch").GetProperty("source").GetString());
    }

    [Theory]
    [InlineData("{not json", "the body is not valid JSON (line 1): ")]
    [InlineData("[1]", "expected an object like {\"reason\": \"...\"}, got array")]
    [InlineData("""{"reason": 5}""", "reason: expected a string, got number")]
    public async Task Pause_BadBody_Returns400NamingTheProblem(string body, string expected)
    {
        await StartAsync();

        var response = await PostAsync("/api/v1/pause", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.StartsWith(expected, response.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("running", (await GetAsync("/api/v1/automation")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Journal_LongHistory_IsServedInPagesNewestFirstWithPositions()
    {
        await StartAsync();
        var journal = _app!.Services.GetRequiredService<Predictor.Execution.Journal.IExecutionJournal>();
        for (var i = 1; i <= 5; i++)
        {
            await journal.RecordAsync(new Predictor.Execution.Journal.JournalEntry(
                $"p{i}/vm-9", $"p{i}", Predictor.Execution.Journal.StepKind.LiveMigration, "vm-9", "h1", "h2", Predictor.Execution.Journal.StepState.Started, DateTimeOffset.UnixEpoch), default);
        }

        var first = await GetAsync("/api/v1/journal/vm-9?limit=2");
        var seq = first[0].GetProperty("seq").GetInt64();
        var next = await GetAsync($"/api/v1/journal/vm-9?limit=2&before={seq}");

        Assert.Equal(["p4", "p5"], first.EnumerateArray().Select(e => e.GetProperty("plan").GetString()));
        Assert.Equal(["p2", "p3"], next.EnumerateArray().Select(e => e.GetProperty("plan").GetString()));
    }

    [Fact]
    public async Task Pause_BodyOverSixtyFourKilobytes_Is413AndChangesNothing()
    {
        await StartAsync();

        var huge = await PostAsync("/api/v1/pause", "{\"reason\": \"" + new string('x', 70_000) + "\"}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.Status);
        Assert.Equal("running", (await GetAsync("/api/v1/automation")).GetProperty("state").GetString());
    }

    [Fact]
    public void Refusal_BrowserRequestFromAnotherSite_IsForbiddenEvenWithTheToken()
    {
        var authorizer = new ApiAuthorizer(Options.Create(new ApiOptions { Token = Token }), NullLogger<ApiAuthorizer>.Instance);
        HttpContext Request(string? origin, string? fetchSite)
        {
            var http = new DefaultHttpContext();
            http.Request.Host = new HostString("127.0.0.1:8080");
            http.Request.Headers.Authorization = $"Bearer {Token}";
            if (origin is not null)
            {
                http.Request.Headers.Origin = origin;
            }

            if (fetchSite is not null)
            {
                http.Request.Headers["Sec-Fetch-Site"] = fetchSite;
            }

            return http;
        }

        Assert.Null(authorizer.Refusal(Request(null, null))); // the CLI, curl
        Assert.Null(authorizer.Refusal(Request("http://127.0.0.1:8080", "same-origin"))); // the daemon's own page
        Assert.Equal((403, "a browser sent this request from another origin (http://evil.example), not from 127.0.0.1:8080"), authorizer.Refusal(Request("http://evil.example", null)));
        Assert.Equal((403, "a browser sent this request on behalf of another site (Sec-Fetch-Site: cross-site)"), authorizer.Refusal(Request(null, "cross-site")));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void ApiTokenFile_NoneConfigured_GeneratesAnOwnerOnlyFileOnceThenReadsIt()
    {
        var path = Path.Combine(_directory, "api-token");

        var (first, generated) = ApiTokenFile.Resolve(new ApiOptions(), path);
        var (second, again) = ApiTokenFile.Resolve(new ApiOptions(), path);
        var (configured, none) = ApiTokenFile.Resolve(new ApiOptions { Token = Token }, path);

        Assert.Equal(path, generated);
        Assert.True(first.Length >= ApiOptions.MinTokenLength);
        Assert.Equal(first + "\n", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal((first, (string?)null), (second, again));
        Assert.Equal((Token, (string?)null), (configured, none));
        File.WriteAllText(path, "short");
        Assert.Contains("holds a token of 5 characters", Assert.Throws<IOException>(() => ApiTokenFile.Resolve(new ApiOptions(), path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OwnerEvents_ApiToken_OperatorSeesOwnerlessVms_LoopbackWithoutTokenRefused()
    {
        await StartAsync($"--Api:Token={Token}");
        var store = _app!.Services.GetRequiredService<MaintenanceEventStore>();
        var id = store.Schedule(new MaintenanceNotice("vm-1", null, "h1", "self-service", "host firmware update", DateTimeOffset.UtcNow.AddDays(1), TimeSpan.FromSeconds(20))).Id;

        var asOperator = await SendAsync(HttpMethod.Get, "/api/v1/owner/events", null, Token);
        var anonymous = await SendAsync(HttpMethod.Get, "/api/v1/owner/events", null, "");

        Assert.Equal(HttpStatusCode.OK, asOperator.Status);
        Assert.Equal(id, Assert.Single(asOperator.Body.GetProperty("events").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
    }

    [Fact]
    public void BearsToken_OnlyTheConfiguredToken_NotLoopbackWithoutOne()
    {
        const string Token = "operator-token-0123456789";
        var configured = new ApiAuthorizer(Options.Create(new ApiOptions { Token = Token }), NullLogger<ApiAuthorizer>.Instance);
        var bearing = new DefaultHttpContext();
        bearing.Request.Headers.Authorization = $"Bearer {Token}";
        var wrong = new DefaultHttpContext();
        wrong.Request.Headers.Authorization = "Bearer owner-token-0123456789";
        var local = new DefaultHttpContext();
        local.Connection.RemoteIpAddress = IPAddress.Loopback;

        Assert.Equal((true, false, false), (configured.BearsToken(bearing), configured.BearsToken(wrong), configured.BearsToken(local)));
    }

    [Fact]
    public void ValidateConfiguration_ShortTokenAndTwoSources_ReportsBoth()
    {
        using var app = DaemonComposition.Build(new RunSettings(null, 1, null, ["--Api:Token=short", $"--Api:TokenFile={Path.Combine(_directory, "none")}"], false));

        var errors = DaemonComposition.ValidateConfiguration(app.Services);

        Assert.Equal(3, errors.Count);
        Assert.Equal("Api:Token: too short (got 5 characters; expected at least 16).", errors[0]);
        Assert.Equal("Api:TokenFile: set together with Api:Token (expected one of the two).", errors[1]);
        Assert.StartsWith("Api:TokenFile: cannot read the file: ", errors[2], StringComparison.Ordinal);
        Assert.EndsWith($" (got '{Path.Combine(_directory, "none")}'; expected a readable file holding the token).", errors[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_RegistryPromotesAnotherVersion_TheViewShowsItsVersionAndCardWithoutARestart()
    {
        var registry = new ModelRegistry(Path.Combine(_directory, "registry"));
        Register(registry, "v0001");
        await StartAsync($"--Risk:RegistryPath={registry.Root}");

        var first = await GetAsync("/api/v1/model");
        Register(registry, "v0002");
        var switched = _app!.Services.GetRequiredService<PredictorPipeline>().Model.Refresh();
        var second = await GetAsync("/api/v1/model");

        Assert.Equal(("model", "v0001", "card of v0001\n"), (first.GetProperty("kind").GetString(), first.GetProperty("version").GetString(), first.GetProperty("cardMarkdown").GetString()));
        Assert.Equal(JsonValueKind.Null, first.GetProperty("loadFailure").ValueKind);
        Assert.True(switched);
        Assert.Equal(("v0002", "card of v0002\n"), (second.GetProperty("version").GetString(), second.GetProperty("cardMarkdown").GetString()));
        Assert.Equal(48, second.GetProperty("card").GetProperty("horizonHours").GetDouble());
    }

    private static void Register(ModelRegistry registry, string id)
    {
        var staging = registry.Stage();
        File.Copy(Path.Combine(AppContext.BaseDirectory, "models", "host-failure.json"), Path.Combine(staging, ModelRegistry.ModelFile));
        File.WriteAllText(Path.Combine(staging, ModelRegistry.CardFile), $"card of {id}\n");
        registry.Commit(staging, id);
        registry.Promote(id);
    }

    private async Task StartAsync(params string[] overrides)
    {
        _app = DaemonComposition.Build(
            new RunSettings(null, 1, null, [.. overrides.Any(o => o.StartsWith("--Api:", StringComparison.Ordinal)) ? overrides : [.. overrides, $"--Api:Token={Token}"], "--Urls=http://127.0.0.1:0", "--Simulation:Hosts=20", $"--Automation:KillSwitchFile={KillSwitchFile}",
                $"--Executor:JournalPath={Path.Combine(_directory, "journal.db")}", "--Notifications:OwnerEvents:DatabasePath=:memory:",
                // these tests poll the state every 20 ms, faster than the API's per-client limit lets an operator (RateLimitTests)
                "--RateLimits:Enabled=false"], false),
            configureServices: services =>
            {
                // the HTTP surface alone: no pipeline loop acting on the simulated fleet
                foreach (var worker in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(PipelineWorker)).ToList())
                {
                    services.Remove(worker);
                }
            });
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    private async Task<JsonElement> GetAsync(string path) => await _http!.GetFromJsonAsync<JsonElement>(path);

    /// <param name="token">The bearer token; the operators' by default, none when empty.</param>
    private Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string? body, string token = Token) => SendAsync(HttpMethod.Post, path, body, token);

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? body, string? token)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http!.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task WaitForStateAsync(string state)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while ((await GetAsync("/api/v1/automation")).GetProperty("state").GetString() != state)
        {
            Assert.False(deadline.IsCancellationRequested, $"the automation state did not become '{state}' within 10 s");
            await Task.Delay(20);
        }
    }
}
