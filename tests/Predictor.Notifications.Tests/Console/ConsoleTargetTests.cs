using Predictor.Core.Alerts;
using Predictor.Notifications.Console;
using Predictor.Notifications.Routing;
using Predictor.Notifications.Tests.Support;
using Predictor.Testing;

namespace Predictor.Notifications.Tests.Console;

public sealed class ConsoleTargetTests
{
    [Fact]
    public async Task SendAsync_FiringAndResolved_OneReadableLineEach()
    {
        var time = new ManualTimeProvider();
        using var output = new StringWriter();
        var firing = TestAlerts.HostFailing("h1", time.GetUtcNow());
        var stale = TestAlerts.Plain(AlertConditions.TelemetryStale, null, time.GetUtcNow().AddMinutes(5), AlertSeverity.Warning) with { Resolved = true };

        await new ConsoleTarget(output, "https://runbooks.example/").SendAsync(new NotificationBatch("x", [firing, stale]), default);

        Assert.Equal(
            "2026-01-05T00:00:00Z CRITICAL HostPredictedToFail host=h1: predicted to fail; evacuating | risk 87% within 48h | evidence: smart_reallocated_sectors +120/day | action: live-migrating 7 VMs | progress: 3/7 VMs moved | runbook: https://runbooks.example/host-failing\n"
            + "2026-01-05T00:05:00Z RESOLVED TelemetryStale: TelemetryStale happened | runbook: https://runbooks.example/TelemetryStale\n",
            output.ToString());
    }
}
