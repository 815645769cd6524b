using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Predictor.Core.Alerts;
using Predictor.Notifications.Delivery;
using Predictor.Notifications.Routing;
using Predictor.Notifications.Tests.Support;
using Predictor.Notifications.Webhooks;

namespace Predictor.Notifications.Tests.Webhooks;

public sealed class WebhookTargetTests : HttpTargetTest
{
    private const string Secret = "s3cret-s3cret-s3cret";

    [Fact]
    public async Task SendAsync_Group_SignsRawBodyWithTimestampedHmac()
    {
        var batch = new NotificationBatch(
            AlertConditions.HostPredictedToFail,
            [TestAlerts.HostFailing("h1", Time.GetUtcNow()), TestAlerts.HostFailing("h2", Time.GetUtcNow()) with { Resolved = true }]);

        await Target().SendAsync(batch, default);

        var request = Assert.Single(Server.Requests);
        var header = request.Headers[WebhookSignature.HeaderName];
        var timestamp = Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = Encoding.ASCII.GetBytes(timestamp + ".").Concat(request.Body).ToArray();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed));
        Assert.Equal($"t={timestamp},v1={expected}", header);
        Assert.True(WebhookSignature.Verify(Secret, header, request.Body, Time.GetUtcNow(), TimeSpan.FromMinutes(5)));

        var body = request.Json;
        Assert.Equal(("1", "HostPredictedToFail", "firing", 1, 1), ((string?)body["version"], (string?)body["condition"], (string?)body["status"], (int)body["firing"]!, (int)body["resolved"]!));
        var first = body["alerts"]![0]!;
        Assert.Equal(("HostPredictedToFail/h1", "firing", "critical", "h1", "2026-01-05T00:00:00.000Z"), ((string?)first["dedupKey"], (string?)first["status"], (string?)first["severity"], (string?)first["host"], (string?)first["at"]));
        Assert.Equal("0.87", (string?)first["details"]!["probability"]);
        Assert.Equal("resolved", (string?)body["alerts"]![1]!["status"]);
    }

    [Fact]
    public void Verify_TamperedBodyWrongSecretOrReplayedLate_Rejected()
    {
        var now = Time.GetUtcNow();
        var body = Encoding.UTF8.GetBytes("{\"version\":\"1\"}");
        var header = WebhookSignature.Create(Secret, body, now);

        Assert.True(WebhookSignature.Verify(Secret, header, body, now.AddMinutes(4), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, header, Encoding.UTF8.GetBytes("{\"version\":\"2\"}"), now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("another-secret-value", header, body, now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, header, body, now.AddMinutes(6), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, "v1=" + header.Split("v1=")[1], body, now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, null, body, now, TimeSpan.FromMinutes(5)));
    }

    private WebhookTarget Target() => new(
        Client,
        new HttpDelivery(new DeliveryOptions { MaxRetries = 0 }, Time),
        new WebhookOptions { Enabled = true, Url = new Uri(Server.BaseUrl, "hook"), Secret = Secret },
        null,
        Time);
}
