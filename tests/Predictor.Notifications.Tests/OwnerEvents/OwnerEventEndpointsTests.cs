using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Predictor.Notifications.OwnerEvents;
using Predictor.Testing;

namespace Predictor.Notifications.Tests.OwnerEvents;

/// <summary>The owner API on a real Kestrel bound to 127.0.0.1:0.</summary>
public sealed class OwnerEventEndpointsTests : IAsyncLifetime
{
    private const string TokenA = "token-team-a-0123456789";
    private const string TokenB = "token-team-b-0123456789";
    private const string TokenUnassigned = "token-unassigned-0123456789";
    private const string OperatorToken = "operator-token-0123456789";
    private readonly ManualTimeProvider _time = new();
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"owner-api-{Guid.NewGuid():N}.db");
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private MaintenanceEventStore _store = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notifications:Console:Enabled"] = "false",
            ["Notifications:OwnerEvents:DatabasePath"] = _path,
            [$"Notifications:OwnerEvents:Tokens:{TokenA}"] = "team-a",
            [$"Notifications:OwnerEvents:Tokens:{TokenB}"] = "team-b",
            [$"Notifications:OwnerEvents:Tokens:{TokenUnassigned}"] = "unassigned",
        });
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddPredictorNotifications(builder.Configuration);
        _app = builder.Build();
        _app.MapPredictorOwnerEvents(http => http.Request.Headers.Authorization == $"Bearer {OperatorToken}");
        await _app.StartAsync();
        _store = _app.Services.GetRequiredService<MaintenanceEventStore>();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task GetEvents_TwoOwners_EachSeesOnlyTheirVms()
    {
        var a = Schedule("vm-a1", "team-a");
        Schedule("vm-b1", "team-b");

        var body = await GetJsonAsync(TokenA);

        var only = Assert.Single(body["events"]!.AsArray())!;
        Assert.Equal(
            $"{{\"id\":\"{a}\",\"vm\":\"vm-a1\",\"host\":\"h1\",\"kind\":\"memory-preserving\",\"reason\":\"hypervisor component update\",\"notBefore\":\"2026-01-07T00:00:00+00:00\",\"expectedBlackoutS\":2.5,\"state\":\"scheduled\",\"ownerChoice\":\"none\",\"selfServiceWindow\":{{\"start\":\"2026-01-05T00:00:00+00:00\",\"end\":\"2026-01-19T00:00:00+00:00\"}}}}",
            only.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public async Task Requests_WithoutOrWithUnknownToken_Unauthorized()
    {
        using var anonymous = await _client.GetAsync(new Uri("/api/v1/owner/events", UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/owner/events");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-known-token-at-all");
        using var unknown = await _client.SendAsync(request);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (anonymous.StatusCode, unknown.StatusCode));
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("A bearer token for an owner is required (Authorization: Bearer <token>).", (string?)(await anonymous.Content.ReadFromJsonAsync<JsonObject>())!["error"]);
    }

    [Fact]
    public async Task OwnerlessEvents_OwnerTokenNamedUnassigned_SeesAndActsOnNone()
    {
        var id = Schedule("vm-x1", null);

        var body = await GetJsonAsync(TokenUnassigned);
        using var approve = await PostAsync(TokenUnassigned, $"/api/v1/owner/events/{id}/approve", null);
        using var reschedule = await PostAsync(TokenUnassigned, $"/api/v1/owner/events/{id}/reschedule", "{\"notBefore\":\"2026-01-08T00:00:00Z\"}");

        Assert.Empty(body["events"]!.AsArray());
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (approve.StatusCode, reschedule.StatusCode));
        Assert.Equal((MaintenanceState.Scheduled, OwnerChoiceKind.None), (_store.Get(id)!.State, _store.Get(id)!.Choice));
    }

    [Fact]
    public async Task OwnerlessEvents_Operator_SeesOnlyThoseAndActsOnThem()
    {
        var ownerless = Schedule("vm-x1", null);
        var owned = Schedule("vm-a1", "team-a");

        var body = await GetJsonAsync(OperatorToken);
        using var approve = await PostAsync(OperatorToken, $"/api/v1/owner/events/{ownerless}/approve", null);
        using var other = await PostAsync(OperatorToken, $"/api/v1/owner/events/{owned}/approve", null);

        Assert.Equal(ownerless, (string?)Assert.Single(body["events"]!.AsArray())!["id"]);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.NotFound), (approve.StatusCode, other.StatusCode));
        Assert.Equal([new Core.Plans.OwnerChoice("vm-x1", true, null)], _store.OwnerChoices(_time.GetUtcNow()).ToArray());
    }

    [Fact]
    public async Task Approve_OwnEvent_ApprovedAndReachesPlanner()
    {
        var id = Schedule("vm-a1", "team-a");

        using var response = await PostAsync(TokenA, $"/api/v1/owner/events/{id}/approve", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("approved", "approved-now"), ((string?)body["state"], (string?)body["ownerChoice"]));
        Assert.Equal([new Core.Plans.OwnerChoice("vm-a1", true, null)], _store.OwnerChoices(_time.GetUtcNow()).ToArray());
    }

    [Fact]
    public async Task ApproveAndReschedule_AnotherOwnersEvent_NotFoundAndUnchanged()
    {
        var id = Schedule("vm-a1", "team-a");

        using var approve = await PostAsync(TokenB, $"/api/v1/owner/events/{id}/approve", null);
        using var reschedule = await PostAsync(TokenB, $"/api/v1/owner/events/{id}/reschedule", "{\"notBefore\":\"2026-01-08T00:00:00Z\"}");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (approve.StatusCode, reschedule.StatusCode));
        Assert.Equal($"No maintenance event '{id}' for your VMs.", (string?)(await approve.Content.ReadFromJsonAsync<JsonObject>())!["error"]);
        Assert.Equal((MaintenanceState.Scheduled, OwnerChoiceKind.None), (_store.Get(id)!.State, _store.Get(id)!.Choice));
    }

    [Fact]
    public async Task Reschedule_InsideWindow_MovesEvent()
    {
        var id = Schedule("vm-a1", "team-a");

        using var response = await PostAsync(TokenA, $"/api/v1/owner/events/{id}/reschedule", "{\"notBefore\":\"2026-01-10T02:00:00+02:00\"}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new DateTimeOffset(2026, 1, 10, 0, 0, 0, TimeSpan.Zero), _store.Get(id)!.NotBefore);
        Assert.Equal([new Core.Plans.OwnerChoice("vm-a1", false, 5 * 86400)], _store.OwnerChoices(_time.GetUtcNow()).ToArray());
    }

    [Theory]
    [InlineData("{\"notBefore\":\"2026-02-01T00:00:00Z\"}", "notBefore 2026-02-01T00:00:00Z is outside the self-service window of event {id}: choose a time from 2026-01-05T00:00:00Z to 2026-01-19T00:00:00Z.")]
    [InlineData("{}", "Field notBefore is missing; expected a JSON body {\"notBefore\": \"<ISO 8601 time with offset, e.g. 2026-01-10T02:00:00Z>\"}.")]
    [InlineData("{\"notBefore\":\"2026-01-10 02:00\"}", "Field notBefore is \"2026-01-10 02:00\"; expected a JSON body {\"notBefore\": \"<ISO 8601 time with offset, e.g. 2026-01-10T02:00:00Z>\"}.")]
    public async Task Reschedule_BadTime_BadRequestWithClearMessage(string body, string expected)
    {
        var id = Schedule("vm-a1", "team-a");

        using var response = await PostAsync(TokenA, $"/api/v1/owner/events/{id}/reschedule", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(expected.Replace("{id}", id, StringComparison.Ordinal), (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]);
    }

    private string Schedule(string vm, string? owner) => _store.Schedule(new MaintenanceNotice(
        vm, owner, "h1", "memory-preserving", "hypervisor component update", _time.GetUtcNow().AddDays(2), TimeSpan.FromSeconds(2.5))).Id;

    private async Task<JsonObject> GetJsonAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/owner/events");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<HttpResponseMessage> PostAsync(string token, string path, string? json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return await _client.SendAsync(request);
    }
}
