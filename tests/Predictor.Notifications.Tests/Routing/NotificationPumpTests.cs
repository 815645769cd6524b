using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Predictor.Core.Alerts;
using Predictor.Notifications.Routing;
using Predictor.Notifications.Tests.Support;
using Predictor.Testing;

namespace Predictor.Notifications.Tests.Routing;

public sealed class NotificationPumpTests
{
    [Fact]
    public async Task ExecuteAsync_GroupWaitPassesOnInjectedClock_DeliversThenStopsQuietly()
    {
        var time = new ManualTimeProvider();
        var target = new RecordingTarget("t", grouping: true);
        var router = TestAlerts.Router(time, TimeSpan.FromSeconds(30), out _, null, new TargetRoute(target, AlertSeverity.Info, 0, 1));
        var logger = new FakeLogger<NotificationPump>();
        using var pump = new NotificationPump(router, new RoutingOptions { PumpInterval = TimeSpan.FromSeconds(5) }, time, logger);
        await router.PublishAsync(TestAlerts.HostFailing("h1", time.GetUtcNow()), default);

        await pump.StartAsync(default);

        // The pump waits on the manual clock; move it in pump-sized steps until the group has gone out.
        var started = time.GetUtcNow();
        for (var step = 0; step < 200 && !target.FirstDelivery.IsCompleted; step++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAny(target.FirstDelivery, Task.Delay(20));
        }

        await pump.StopAsync(default);

        Assert.True(target.FirstDelivery.IsCompleted, "the pump never delivered the group");
        Assert.InRange(time.GetUtcNow() - started, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), e => e.Level >= LogLevel.Warning);
    }
}
