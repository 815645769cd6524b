using Predictor.Notifications.Alertmanager;
using Predictor.Notifications.Delivery;
using Predictor.Notifications.Routing;
using Predictor.Notifications.Tests.Support;

namespace Predictor.Notifications.Tests.Alertmanager;

public sealed class AlertmanagerTargetTests : HttpTargetTest
{
    [Fact]
    public async Task SendAsync_Firing_PostsLabelsAnnotationsAndEndsAtFourResendIntervalsAhead()
    {
        var alert = TestAlerts.HostFailing("h1", Time.GetUtcNow());

        await Target().SendAsync(new NotificationBatch(alert.Condition, [alert]), default);

        var request = Assert.Single(Server.Requests);
        Assert.Equal(("POST", "/am/api/v2/alerts"), (request.Method, request.Path));
        var posted = Assert.Single(request.Json.AsArray())!;
        Assert.Equal(
            "{\"alertname\":\"HostPredictedToFail\",\"condition\":\"HostPredictedToFail\",\"severity\":\"critical\",\"host\":\"h1\",\"datacenter\":\"fra1\"}",
            posted["labels"]!.ToJsonString());
        var annotations = posted["annotations"]!;
        Assert.Equal("predicted to fail; evacuating", (string?)annotations["summary"]);
        Assert.Equal(
            "Host h1: predicted to fail; evacuating\nRisk: risk 87% within 48h\nEvidence: smart_reallocated_sectors +120/day\nAction: live-migrating 7 VMs\nProgress: 3/7 VMs moved",
            (string?)annotations["description"]);
        Assert.Equal("https://runbooks.example/host-failing", (string?)annotations["runbook_url"]);
        Assert.Equal("2026-01-05T00:00:00.000Z", (string?)posted["startsAt"]);
        Assert.Equal("2026-01-05T00:04:00.000Z", (string?)posted["endsAt"]);
        Assert.Equal("http://predictor.example:8080/?host=h1", (string?)posted["generatorURL"]);
    }

    [Fact]
    public async Task RefreshAsync_AfterResendInterval_RepostsActiveWithOriginalStartsAt()
    {
        var target = Target();
        var alert = TestAlerts.HostFailing("h1", Time.GetUtcNow());
        await target.SendAsync(new NotificationBatch(alert.Condition, [alert]), default);

        Time.Advance(TimeSpan.FromSeconds(59));
        await target.RefreshAsync(default);
        Assert.Single(Server.Requests);

        Time.Advance(TimeSpan.FromSeconds(1));
        await target.RefreshAsync(default);

        var posted = Assert.Single(Server.Requests.Last().Json.AsArray())!;
        Assert.Equal(("2026-01-05T00:00:00.000Z", "2026-01-05T00:05:00.000Z"), ((string?)posted["startsAt"], (string?)posted["endsAt"]));
    }

    [Fact]
    public async Task SendAsync_Resolved_EndsAtClearTimeAndStopsRefreshing()
    {
        var target = Target();
        var alert = TestAlerts.HostFailing("h1", Time.GetUtcNow());
        await target.SendAsync(new NotificationBatch(alert.Condition, [alert]), default);
        Time.Advance(TimeSpan.FromSeconds(30));

        await target.SendAsync(new NotificationBatch(alert.Condition, [alert with { Resolved = true, At = Time.GetUtcNow() }]), default);
        Time.Advance(TimeSpan.FromMinutes(5));
        await target.RefreshAsync(default);

        Assert.Equal(2, Server.Requests.Count);
        var posted = Assert.Single(Server.Requests.Last().Json.AsArray())!;
        Assert.Equal(("2026-01-05T00:00:00.000Z", "2026-01-05T00:00:30.000Z"), ((string?)posted["startsAt"], (string?)posted["endsAt"]));
        Assert.Equal(0, target.ActiveCount);
    }

    [Fact]
    public async Task SendAsync_OverflowSummary_PostedOnceNotRefreshed()
    {
        var target = Target();
        var summary = OverflowSummary.Create("alertmanager", [TestAlerts.HostFailing("h1", Time.GetUtcNow())], Time.GetUtcNow());

        await target.SendAsync(new NotificationBatch(summary.Condition, [summary]), default);
        Time.Advance(TimeSpan.FromMinutes(2));
        await target.RefreshAsync(default);

        var posted = Assert.Single(Server.Requests).Json[0]!;
        Assert.Equal(("NotificationsRateLimited", "2026-01-05T00:04:00.000Z"), ((string?)posted["labels"]!["alertname"], (string?)posted["endsAt"]));
        Assert.Equal(0, target.ActiveCount);
    }

    private AlertmanagerTarget Target() => new(
        Client,
        new HttpDelivery(new DeliveryOptions { MaxRetries = 0 }, Time),
        new AlertmanagerOptions
        {
            Enabled = true,
            Url = new Uri(Server.BaseUrl, "am"),
            GeneratorUrl = new Uri("http://predictor.example:8080/"),
            ExtraLabels = new() { ["datacenter"] = "fra1" },
        },
        null,
        Time);
}
