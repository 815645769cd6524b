using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Notifications.OwnerEvents;
using Predictor.Notifications.Webhooks;
using Predictor.Testing;
using Predictor.Testing.Http;

namespace Predictor.Notifications.Tests.OwnerEvents;

/// <summary>Owners with a webhook are told of their events as they are announced and as they start and end, signed.</summary>
public sealed class OwnerWebhooksTests
{
    private const string Secret = "owner-webhook-secret-0123";

    [Fact]
    public async Task Transitions_OwnerWithAWebhook_IsToldOfEachSignedInOrder_OthersAreNot()
    {
        await using var server = await RecordingServer.StartAsync();
        var time = new ManualTimeProvider();
        var options = new OwnerEventsOptions { DatabasePath = ":memory:", Webhooks = { ["team-a"] = new Uri(server.BaseUrl, "hooks/team-a") }, WebhookSecret = Secret };
        using var store = new MaintenanceEventStore(options, time, NullLogger<MaintenanceEventStore>.Instance);
        using var http = new HttpClient();
        var webhooks = new OwnerWebhooks(store, options, http, time, NullLogger<OwnerWebhooks>.Instance);
        await webhooks.StartAsync(CancellationToken.None);

        var id = store.Schedule(new MaintenanceNotice("vm-1", "team-a", "h1", "self-service", "kernel update", time.GetUtcNow().AddDays(1), TimeSpan.FromMinutes(2))).Id;
        store.Schedule(new MaintenanceNotice("vm-2", "team-b", "h1", "self-service", "kernel update", time.GetUtcNow().AddDays(1), TimeSpan.FromMinutes(2)));
        store.MarkStarted(id);
        store.MarkCompleted(id);
        await webhooks.StopAsync(CancellationToken.None);

        var requests = server.Requests.ToList();
        Assert.Equal(["scheduled", "started", "completed"], requests.Select(r => r.Json["event"]!["state"]!.GetValue<string>()));
        Assert.All(requests, r =>
        {
            Assert.Equal(("POST", "/hooks/team-a"), (r.Method, r.Path));
            Assert.Equal("team-a", r.Json["owner"]!.GetValue<string>());
            Assert.Equal(id, r.Json["event"]!["id"]!.GetValue<string>());
            Assert.True(WebhookSignature.Verify(Secret, r.Headers[WebhookSignature.HeaderName], r.Body, time.GetUtcNow(), TimeSpan.FromMinutes(5)));
        });
        Assert.Equal(3, webhooks.Delivered);
    }

    [Fact]
    public void Options_WebhooksWithoutASecret_AreRefusedNamingTheKey()
    {
        var options = new OwnerEventsOptions { Webhooks = { ["team-a"] = new Uri("https://example.test/hook") } };

        var errors = OwnerEventsRules.Check(options, "Notifications:OwnerEvents").Select(e => e.ErrorMessage).ToList();

        Assert.Contains(errors, e => e!.StartsWith("Notifications:OwnerEvents:WebhookSecret: missing or too short", StringComparison.Ordinal));
    }
}
