using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Predictor.Core.Alerts;
using Predictor.Notifications;
using Predictor.Notifications.Alertmanager;
using Predictor.Notifications.Delivery;
using Predictor.Notifications.Routing;
using Predictor.Testing.Http;
using Predictor.Testing.Metrics;

namespace Predictor.IntegrationTests.Alertmanager;

/// <summary>Predictor's router and Alertmanager target against a real Alertmanager that notifies a loopback webhook.</summary>
[Collection(AlertmanagerCollection.Name)]
public sealed class AlertmanagerEndToEndTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly AlertmanagerFixture _alertmanager;
    private readonly string _test = Guid.NewGuid().ToString("N")[..12];
    private readonly CountingHandler _handler = new();
    private readonly HttpClient _client;

    public AlertmanagerEndToEndTests(AlertmanagerFixture alertmanager)
    {
        _alertmanager = alertmanager;
        _client = new HttpClient(_handler);
    }

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task PublishAsync_HostPredictedToFail_ReceiverGetsLabelsAndAnnotations()
    {
        var router = Router();

        await router.PublishAsync(Alert("h1"), default);

        var notification = await NextAsync("firing");
        var alert = notification["alerts"]!.AsArray().Single()!;
        Assert.Equal(
            ("HostPredictedToFail", "HostPredictedToFail", "h1", "critical"),
            ((string?)alert["labels"]!["alertname"], (string?)alert["labels"]!["condition"], (string?)alert["labels"]!["host"], (string?)alert["labels"]!["severity"]));
        Assert.Equal("https://runbooks.example/HostPredictedToFail", (string?)alert["annotations"]!["runbook_url"]);
        Assert.Equal("predicted to fail; evacuating", (string?)alert["annotations"]!["summary"]);
        Assert.Equal("Host h1: predicted to fail; evacuating\nRisk: risk 91% within 36h\nEvidence: ecc_ce 14x baseline\nAction: live-migrating 5 VMs\nProgress: 0/5 VMs moved", (string?)alert["annotations"]!["description"]);
        Assert.Equal("http://127.0.0.1:8080/?host=h1", (string?)alert["generatorURL"]);
    }

    [Fact]
    public async Task PublishAsync_SameAlertTwice_PostedOnceAndNotifiedOnce()
    {
        var router = Router();

        await router.PublishAsync(Alert("h1"), default);
        await router.PublishAsync(Alert("h1"), default);
        await NextAsync("firing");
        var active = await AlertsInAlertmanagerAsync();
        await router.PublishActiveAsync(AlertConditions.HostPredictedToFail, [], default);
        await NextAsync("resolved");

        Assert.Equal("active", (string?)Assert.Single(active)!["status"]!["state"]);
        Assert.Equal(2, _handler.Posts);
        Assert.Equal(["firing", "resolved"], Notifications().Select(n => (string?)n["status"]));
    }

    [Fact]
    public async Task PublishAsync_ThreeHostsOfOneCondition_OneGroupedNotification()
    {
        var router = Router();

        foreach (var host in new[] { "h1", "h2", "h3" })
        {
            await router.PublishAsync(Alert(host), default);
        }

        var notification = await NextAsync("firing");
        Assert.Equal(["h1", "h2", "h3"], notification["alerts"]!.AsArray().Select(a => (string?)a!["labels"]!["host"]).Order());
        Assert.Single(Notifications());
    }

    [Fact]
    public async Task PublishActiveAsync_ConditionCleared_ReceiverGetsResolved()
    {
        var router = Router();
        await router.PublishActiveAsync(AlertConditions.HostPredictedToFail, [Alert("h1"), Alert("h2")], default);
        await NextAsync("firing");

        await router.PublishActiveAsync(AlertConditions.HostPredictedToFail, [Alert("h2")], default);

        var notification = await _alertmanager.Receiver.WaitForAsync(
            r => Mine(r) && r.Json["alerts"]!.AsArray().Any(a => (string?)a!["status"] == "resolved"),
            Patience);
        var resolved = notification.Json["alerts"]!.AsArray().Single(a => (string?)a!["status"] == "resolved")!;
        Assert.Equal("h1", (string?)resolved["labels"]!["host"]);
        Assert.NotEqual("0001-01-01T00:00:00Z", (string?)resolved["endsAt"]);
    }

    private NotificationRouter Router()
    {
        var options = new AlertmanagerOptions
        {
            Enabled = true,
            Url = _alertmanager.Url,
            ExtraLabels = new() { ["test"] = _test },
        };
        var target = new AlertmanagerTarget(
            _client,
            new HttpDelivery(new DeliveryOptions { MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(100) }, TimeProvider.System),
            options,
            "https://runbooks.example",
            TimeProvider.System);
        return new NotificationRouter(
            [new TargetRoute(target, AlertSeverity.Info, 0, 1)],
            new RouterSettings(TimeSpan.Zero, TimeSpan.FromHours(4)),
            TimeProvider.System,
            new NotificationMetrics(new TestMeterFactory()),
            new FakeLogger<NotificationRouter>());
    }

    private static Alert Alert(string host) => new(
        AlertConditions.HostPredictedToFail,
        Core.Alerts.Alert.KeyFor(AlertConditions.HostPredictedToFail, host),
        AlertSeverity.Critical,
        "predicted to fail; evacuating",
        host,
        TimeProvider.System.GetUtcNow(),
        ImmutableDictionary<string, string>.Empty
            .Add(AlertDetailKeys.Probability, "0.91")
            .Add(AlertDetailKeys.Horizon, "36h")
            .Add(AlertDetailKeys.Evidence, "ecc_ce 14x baseline")
            .Add(AlertDetailKeys.Action, "live-migrating 5 VMs")
            .Add(AlertDetailKeys.Progress, "0/5 VMs moved"));

    private bool Mine(RecordedRequest request) => (string?)request.Json["commonLabels"]?["test"] == _test;

    private List<JsonNode> Notifications() => _alertmanager.Receiver.Requests.Where(Mine).Select(r => r.Json).ToList();

    private async Task<JsonNode> NextAsync(string status) =>
        (await _alertmanager.Receiver.WaitForAsync(r => Mine(r) && (string?)r.Json["status"] == status, Patience)).Json;

    private async Task<JsonArray> AlertsInAlertmanagerAsync()
    {
        var url = new Uri(_alertmanager.Url, $"api/v2/alerts?active=true&inhibited=true&silenced=true&unprocessed=true&filter={Uri.EscapeDataString($"test=\"{_test}\"")}");
        var text = await _client.GetStringAsync(url);
        return JsonNode.Parse(text)!.AsArray();
    }

    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _posts;

        public int Posts => _posts;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post)
            {
                Interlocked.Increment(ref _posts);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
