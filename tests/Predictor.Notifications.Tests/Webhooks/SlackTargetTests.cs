using Predictor.Core.Alerts;
using Predictor.Notifications.Delivery;
using Predictor.Notifications.Routing;
using Predictor.Notifications.Tests.Support;
using Predictor.Notifications.Webhooks;

namespace Predictor.Notifications.Tests.Webhooks;

public sealed class SlackTargetTests : HttpTargetTest
{
    [Fact]
    public async Task SendAsync_OneAlert_TextAndBlocksCarryWhatOnCallNeeds()
    {
        var alert = TestAlerts.HostFailing("h1", Time.GetUtcNow());

        await Target().SendAsync(new NotificationBatch(alert.Condition, [alert]), default);

        var body = Assert.Single(Server.Requests).Json;
        Assert.Equal("[FIRING:1] HostPredictedToFail: h1: predicted to fail; evacuating", (string?)body["text"]);
        var blocks = body["blocks"]!.AsArray();
        Assert.Equal(("header", "plain_text", "[FIRING:1] HostPredictedToFail"), ((string?)blocks[0]!["type"], (string?)blocks[0]!["text"]!["type"], (string?)blocks[0]!["text"]!["text"]));
        Assert.Equal(("section", "mrkdwn"), ((string?)blocks[1]!["type"], (string?)blocks[1]!["text"]!["type"]));
        Assert.Equal(
            ":rotating_light: *h1: predicted to fail; evacuating*\n*Risk:* risk 87% within 48h\n*Evidence:* smart_reallocated_sectors +120/day\n*Action:* live-migrating 7 VMs\n*Progress:* 3/7 VMs moved\n<https://runbooks.example/host-failing|Runbook>",
            (string?)blocks[1]!["text"]!["text"]);
    }

    [Fact]
    public async Task SendAsync_SixtyAlerts_StaysWithinBlockKitLimits()
    {
        var alerts = Enumerable.Range(0, 60).Select(i => TestAlerts.HostFailing($"h{i}", Time.GetUtcNow()) with { Summary = new string('y', 4000) }).ToList();

        await Target().SendAsync(new NotificationBatch(AlertConditions.HostPredictedToFail, [.. alerts]), default);

        var blocks = Assert.Single(Server.Requests).Json["blocks"]!.AsArray();
        Assert.Equal(50, blocks.Count);
        Assert.All(blocks.Where(b => (string?)b!["type"] == "section"), b => Assert.True(((string?)b!["text"]!["text"])!.Length <= 3000));
        Assert.Equal("…and 12 more", (string?)blocks[49]!["elements"]![0]!["text"]);
    }

    private SlackTarget Target() => new(
        Client,
        new HttpDelivery(new DeliveryOptions { MaxRetries = 0 }, Time),
        new SlackOptions { Enabled = true, Url = new Uri(Server.BaseUrl, "services/T/B/X") },
        null);
}
