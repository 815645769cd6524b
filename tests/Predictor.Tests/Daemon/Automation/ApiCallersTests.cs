using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Predictor.Daemon;

namespace Predictor.Tests.Daemon.Automation;

/// <summary>Named callers with roles, and the audit trail naming who changed what.</summary>
public sealed class ApiCallersTests : IAsyncLifetime
{
    private const string Operators = "operators-token-0123456789";
    private const string OnCall = "oncall-token-0123456789";
    private const string Viewer = "viewer-token-0123456789";
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-callers-").FullName;
    private readonly FakeLoggerProvider _logs = new();
    private WebApplication? _app;
    private HttpClient? _http;

    public async Task InitializeAsync()
    {
        _app = DaemonComposition.Build(
            new RunSettings(null, 1, null,
            [
                $"--Api:Token={Operators}", $"--Api:Callers:oncall:Token={OnCall}", "--Api:Callers:oncall:Role=Operate",
                $"--Api:Callers:viewer:Token={Viewer}", "--Api:Callers:viewer:Role=Read",
                "--Urls=http://127.0.0.1:0", "--Simulation:Hosts=20", $"--Automation:KillSwitchFile={Path.Combine(_directory, "kill-switch")}",
                $"--Executor:JournalPath={Path.Combine(_directory, "journal.db")}", "--Notifications:OwnerEvents:DatabasePath=:memory:",
            ], false),
            configureServices: services =>
            {
                services.AddLogging(b => b.AddProvider(_logs));
                foreach (var worker in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(PipelineWorker)).ToList())
                {
                    services.Remove(worker);
                }
            });
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _http!.Dispose();
        await _app!.DisposeAsync();
        _logs.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Callers_WithRoles_EachMayDoWhatItsRoleAllowsAndEveryChangeIsAuditedByName()
    {
        var viewerPause = await PostAsync("/api/v1/pause", Viewer);
        var onCallPause = await PostAsync("/api/v1/pause", OnCall);
        var onCallKill = await PostAsync("/api/v1/kill-switch", OnCall);
        var onCallResume = await PostAsync("/api/v1/resume", OnCall);
        var operatorsKill = await PostAsync("/api/v1/kill-switch", Operators);

        Assert.Equal(HttpStatusCode.Forbidden, viewerPause.Status);
        Assert.Equal("caller 'viewer' has the role read; this needs operate", viewerPause.Error);
        Assert.Equal(HttpStatusCode.OK, onCallPause.Status);
        Assert.Equal(HttpStatusCode.Forbidden, onCallKill.Status);
        Assert.Equal("caller 'oncall' has the role operate; this needs admin", onCallKill.Error);
        Assert.Equal(HttpStatusCode.OK, onCallResume.Status);
        Assert.Equal(HttpStatusCode.OK, operatorsKill.Status);
        var audit = _logs.Collector.GetSnapshot().Where(r => r.Id.Id == 8209).Select(r => r.Message).ToList();
        Assert.Equal(3, audit.Count);
        Assert.StartsWith("Audit: oncall POST /api/v1/pause from ", audit[0], StringComparison.Ordinal);
        Assert.StartsWith("Audit: oncall POST /api/v1/resume from ", audit[1], StringComparison.Ordinal);
        Assert.StartsWith("Audit: operators POST /api/v1/kill-switch from ", audit[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CallerWithoutAToken_IsNamed()
    {
        using var app = DaemonComposition.Build(new RunSettings(null, 1, null, [$"--Api:Token={Operators}", "--Api:Callers:ghost:Role=Admin"], false));

        var errors = DaemonComposition.ValidateConfiguration(app.Services);

        Assert.Contains("Api:Callers:ghost: needs a Token or TokenFile of at least 16 characters.", errors);
    }

    private async Task<(HttpStatusCode Status, string? Error)> PostAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{\"reason\": \"drill\"}", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http!.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, body.TryGetProperty("error", out var e) ? e.GetString() : null);
    }
}
