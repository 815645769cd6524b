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
using Predictor.Core.Outcomes;
using Predictor.Core.Risk;
using Predictor.Daemon;
using Predictor.Daemon.Outcomes;

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
    public async Task MarkFailedAndRepaired_OperateRole_RecordsTheOutcomesAuditedAndReleasesTheRepairedHost()
    {
        var pipeline = _app!.Services.GetRequiredService<PredictorPipeline>();
        pipeline.Quarantine.Add(new RiskAssessment("h0002", DateTimeOffset.UnixEpoch, 0.97, TimeSpan.FromDays(2), null, [], "rules"));
        const string Ticket = """{"at": "2026-01-04T12:00:00Z", "component": "disk:sdb", "cause": "disk-media", "source": "ticket-7"}""";

        var viewer = await SendAsync("/api/v1/hosts/h0001/failed", Viewer, Ticket);
        var failed = await SendAsync("/api/v1/hosts/h0001/failed", OnCall, Ticket);
        var again = await SendAsync("/api/v1/hosts/h0001/failed", OnCall, Ticket);
        var unknown = await SendAsync("/api/v1/hosts/h9999/failed", OnCall, Ticket);
        var badTime = await SendAsync("/api/v1/hosts/h0001/failed", OnCall, """{"at": "2026-01-04 12:00"}""");
        var repaired = await SendAsync("/api/v1/hosts/h0002/repaired", OnCall, """{"component": "psu:1", "detail": "PSU swapped"}""");

        Assert.Equal((HttpStatusCode.Forbidden, "caller 'viewer' has the role read; this needs operate"), (viewer.Status, viewer.Body.GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.OK, failed.Status);
        Assert.Equal("host h0001 failed at 2026-01-04 12:00:00Z recorded", failed.Body.GetProperty("message").GetString());
        Assert.False(again.Body.GetProperty("recorded").GetBoolean());
        Assert.Equal((HttpStatusCode.NotFound, "no host 'h9999' in the inventory"), (unknown.Status, unknown.Body.GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, badTime.Status);
        Assert.StartsWith("at: not an ISO 8601 time with a zone (got '2026-01-04 12:00'", badTime.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(repaired.Body.GetProperty("repairRecorded").GetBoolean());
        Assert.Contains("h0002", pipeline.Quarantined); // released only after clean assessments follow the repair
        var audit = _logs.Collector.GetSnapshot().Where(r => r.Id.Id == 8209).Select(r => r.Message).ToList();
        Assert.StartsWith("Audit: oncall POST /api/v1/hosts/h0002/repaired from ", audit[^1], StringComparison.Ordinal);

        using var log = new SqliteOutcomeLog(Path.Combine(_directory, OutcomeLogOptions.DefaultFileName));
        var outcomes = log.Outcomes();
        Assert.Equal(
            new HostOutcome("h0001", new DateTimeOffset(2026, 1, 4, 12, 0, 0, TimeSpan.Zero), OutcomeKind.Failed, "disk:sdb", "disk-media", "ticket-7"),
            outcomes[0]);
        Assert.Equal([(OutcomeKind.Repaired, "api:oncall", "psu:1")], outcomes.Skip(1).Select(o => (o.Kind, o.Source, o.Component)));
    }

    [Fact]
    public void Validate_CallerWithoutAToken_IsNamed()
    {
        using var app = DaemonComposition.Build(new RunSettings(null, 1, null, [$"--Api:Token={Operators}", "--Api:Callers:ghost:Role=Admin"], false));

        var errors = DaemonComposition.ValidateConfiguration(app.Services);

        Assert.Contains("Api:Callers:ghost: needs a Token or TokenFile of at least 16 characters.", errors);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(string path, string token, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http!.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
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
