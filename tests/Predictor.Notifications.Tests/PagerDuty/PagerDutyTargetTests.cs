using System.Globalization;
using System.Text.Json.Nodes;
using Predictor.Core.Alerts;
using Predictor.Notifications.Delivery;
using Predictor.Notifications.PagerDuty;
using Predictor.Notifications.Routing;
using Predictor.Notifications.Tests.Support;

namespace Predictor.Notifications.Tests.PagerDuty;

public sealed class PagerDutyTargetTests : HttpTargetTest
{
    private const string RoutingKey = "R0123456789abcdef0123456789ABCDE";

    [Fact]
    public async Task SendAsync_Trigger_MatchesEventsV2Schema()
    {
        var alert = TestAlerts.HostFailing("h1", Time.GetUtcNow());

        await Target().SendAsync(new NotificationBatch(alert.Condition, [alert]), default);

        var request = Assert.Single(Server.Requests);
        Assert.Equal(("POST", "/v2/enqueue"), (request.Method, request.Path));
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        var body = request.Json.AsObject();
        AssertEventSchema(body);
        Assert.Equal(RoutingKey, (string?)body["routing_key"]);
        Assert.Equal("trigger", (string?)body["event_action"]);
        Assert.Equal("HostPredictedToFail/h1", (string?)body["dedup_key"]);
        var payload = body["payload"]!.AsObject();
        Assert.Equal("h1: predicted to fail; evacuating", (string?)payload["summary"]);
        Assert.Equal("h1", (string?)payload["source"]);
        Assert.Equal("critical", (string?)payload["severity"]);
        Assert.Equal("2026-01-05T00:00:00.000Z", (string?)payload["timestamp"]);
        Assert.Equal("HostPredictedToFail", (string?)payload["class"]);
        var details = payload["custom_details"]!.AsObject();
        Assert.Equal("risk 87% within 48h", (string?)details["risk"]);
        Assert.Equal("smart_reallocated_sectors +120/day", (string?)details["evidence"]);
        Assert.Equal("live-migrating 7 VMs", (string?)details["action"]);
        Assert.Equal("3/7 VMs moved", (string?)details["progress"]);
        Assert.Equal("https://runbooks.example/host-failing", (string?)body["links"]![0]!["href"]);
    }

    [Fact]
    public async Task SendAsync_ResolveAndAcknowledge_CarryOnlyKeyAndAction()
    {
        var alert = TestAlerts.HostFailing("h1", Time.GetUtcNow());
        var acknowledged = alert with { Details = alert.Details.SetItem(AlertDetailKeys.Acknowledged, "true") };

        await Target().SendAsync(new NotificationBatch(alert.Condition, [acknowledged, alert with { Resolved = true }]), default);

        var bodies = Server.Requests.Select(r => r.Json.AsObject()).ToList();
        Assert.All(bodies, AssertEventSchema);
        Assert.Equal(["acknowledge", "resolve"], bodies.Select(b => (string?)b["event_action"]));
        Assert.All(bodies, b => Assert.Equal(["routing_key", "event_action", "dedup_key"], b.Select(p => p.Key)));
    }

    [Fact]
    public async Task SendAsync_LongSummaryAndNoHost_TruncatedToLimitAndSourceFromOptions()
    {
        var alert = TestAlerts.Plain(AlertConditions.ModelLoadFailed, null, Time.GetUtcNow()) with { Summary = new string('x', 2000) };

        await Target().SendAsync(new NotificationBatch(alert.Condition, [alert]), default);

        var payload = Assert.Single(Server.Requests).Json["payload"]!;
        Assert.Equal(1024, ((string?)payload["summary"])!.Length);
        Assert.EndsWith("…", (string?)payload["summary"], StringComparison.Ordinal);
        Assert.Equal("predictor-fra1", (string?)payload["source"]);
    }

    [Fact]
    public async Task SendAsync_ServerErrorThenAccepted_RetriesOnce()
    {
        var calls = 0;
        Server.Respond = _ => Interlocked.Increment(ref calls) == 1 ? (503, "{}") : (202, "{\"status\":\"success\"}");
        var alert = TestAlerts.HostFailing("h1", Time.GetUtcNow());

        await Target().SendAsync(new NotificationBatch(alert.Condition, [alert]), default);

        Assert.Equal(2, Server.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_BadRequest_ThrowsWithoutRetry()
    {
        Server.Respond = _ => (400, "{\"status\":\"invalid event\",\"errors\":[\"'routing_key' is invalid\"]}");
        var alert = TestAlerts.HostFailing("h1", Time.GetUtcNow());

        var error = await Assert.ThrowsAsync<NotificationDeliveryException>(() => Target().SendAsync(new NotificationBatch(alert.Condition, [alert]), default));

        Assert.Single(Server.Requests);
        Assert.Contains("returned 400 Bad Request: {\"status\":\"invalid event\"", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The Events API v2 schema (developer.pagerduty.com, "Send an Alert Event"), checked field by field.</summary>
    private static void AssertEventSchema(JsonObject body)
    {
        var allowed = new[] { "routing_key", "event_action", "dedup_key", "payload", "images", "links", "client", "client_url" };
        Assert.All(body.Select(p => p.Key), key => Assert.Contains(key, allowed));
        Assert.Equal(32, ((string?)body["routing_key"])!.Length);
        Assert.Contains((string?)body["event_action"], new[] { "trigger", "acknowledge", "resolve" });
        var dedup = (string?)body["dedup_key"];
        Assert.False(string.IsNullOrEmpty(dedup));
        Assert.True(dedup!.Length <= 255);
        if ((string?)body["event_action"] != "trigger")
        {
            return;
        }

        var payload = body["payload"]!.AsObject();
        var payloadKeys = new[] { "summary", "source", "severity", "timestamp", "component", "group", "class", "custom_details" };
        Assert.All(payload.Select(p => p.Key), key => Assert.Contains(key, payloadKeys));
        Assert.InRange(((string?)payload["summary"])!.Length, 1, 1024);
        Assert.False(string.IsNullOrEmpty((string?)payload["source"]));
        Assert.Contains((string?)payload["severity"], new[] { "critical", "error", "warning", "info" });
        Assert.True(DateTimeOffset.TryParseExact((string?)payload["timestamp"], "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _));
        Assert.IsType<JsonObject>(payload["custom_details"]);
        foreach (var link in body["links"]?.AsArray() ?? [])
        {
            Assert.True(Uri.IsWellFormedUriString((string?)link!["href"], UriKind.Absolute));
            Assert.IsType<string>((string?)link["text"]);
        }
    }

    private PagerDutyTarget Target() => new(
        Client,
        new HttpDelivery(new DeliveryOptions { MaxRetries = 2, RetryDelay = TimeSpan.Zero }, Time),
        new PagerDutyOptions { Enabled = true, RoutingKey = RoutingKey, EventsUrl = new Uri(Server.BaseUrl, "v2/enqueue"), Source = "predictor-fra1" },
        null);
}
