using Microsoft.Extensions.Logging;
using Predictor.Core.Alerts;
using Predictor.Notifications.Routing;
using Predictor.Notifications.Tests.Support;
using Predictor.Testing;
using Predictor.Testing.Metrics;

namespace Predictor.Notifications.Tests.Routing;

public sealed class NotificationRouterTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task PublishAsync_SameContentWithinRepeatInterval_SentOnce()
    {
        var target = new RecordingTarget("t", grouping: false);
        var router = TestAlerts.Router(_time, TimeSpan.Zero, out _, null, new TargetRoute(target, AlertSeverity.Info, 0, 1));

        await router.PublishAsync(TestAlerts.HostFailing("h1", _time.GetUtcNow()), default);
        _time.Advance(TimeSpan.FromMinutes(10));
        await router.PublishAsync(TestAlerts.HostFailing("h1", _time.GetUtcNow()), default);

        Assert.Single(target.Alerts);
    }

    [Fact]
    public async Task PublishAsync_ChangedContent_SentAgain()
    {
        var target = new RecordingTarget("t", grouping: false);
        var router = TestAlerts.Router(_time, TimeSpan.Zero, out _, null, new TargetRoute(target, AlertSeverity.Info, 0, 1));

        await router.PublishAsync(TestAlerts.HostFailing("h1", _time.GetUtcNow(), "0.80"), default);
        await router.PublishAsync(TestAlerts.HostFailing("h1", _time.GetUtcNow(), "0.95"), default);

        Assert.Equal(["0.80", "0.95"], target.Alerts.Select(a => a.Details[AlertDetailKeys.Probability]));
    }

    [Fact]
    public async Task PublishAsync_SameContentAfterRepeatInterval_SentAgain()
    {
        var target = new RecordingTarget("t", grouping: false);
        var router = TestAlerts.Router(_time, TimeSpan.Zero, out _, null, new TargetRoute(target, AlertSeverity.Info, 0, 1));

        await router.PublishAsync(TestAlerts.HostFailing("h1", _time.GetUtcNow()), default);
        _time.Advance(TimeSpan.FromHours(4));
        await router.PublishAsync(TestAlerts.HostFailing("h1", _time.GetUtcNow()), default);

        Assert.Equal(2, target.Alerts.Length);
    }

    [Fact]
    public async Task PumpAsync_AlertsOfOneConditionWithinGroupWait_OneNotificationWhereTargetGroups()
    {
        var grouping = new RecordingTarget("grouping", grouping: true);
        var single = new RecordingTarget("single", grouping: false);
        var router = TestAlerts.Router(
            _time,
            TimeSpan.FromSeconds(30),
            out _,
            null,
            new TargetRoute(grouping, AlertSeverity.Info, 0, 1),
            new TargetRoute(single, AlertSeverity.Info, 0, 1));

        await router.PublishAsync(TestAlerts.HostFailing("h1", _time.GetUtcNow()), default);
        _time.Advance(TimeSpan.FromSeconds(10));
        await router.PublishAsync(TestAlerts.HostFailing("h2", _time.GetUtcNow()), default);
        await router.PublishAsync(TestAlerts.Plain(AlertConditions.SpoolFull, null, _time.GetUtcNow()), default);
        _time.Advance(TimeSpan.FromSeconds(19));
        await router.PumpAsync(default);
        Assert.Empty(grouping.Batches);

        _time.Advance(TimeSpan.FromSeconds(1));
        await router.PumpAsync(default);

        var batch = Assert.Single(grouping.Batches);
        Assert.Equal(AlertConditions.HostPredictedToFail, batch.Condition);
        Assert.Equal(["h1", "h2"], batch.Alerts.Select(a => a.Host));
        Assert.Equal(2, single.Batches.Count);
        Assert.All(single.Batches, b => Assert.Single(b.Alerts));

        _time.Advance(TimeSpan.FromSeconds(10));
        await router.PumpAsync(default);
        Assert.Equal([AlertConditions.HostPredictedToFail, AlertConditions.SpoolFull], grouping.Batches.Select(b => b.Condition));
    }

    [Fact]
    public async Task PumpAsync_RateLimitExceeded_HoldsBackCountsLogsAndSendsOneSummaryLater()
    {
        using var meters = new TestMeterFactory();
        using var rateLimited = meters.Collect<long>(NotificationMetrics.MeterName, "predictor.notifications.rate_limited");
        var pager = new RecordingTarget("pagerduty", grouping: false);
        var router = TestAlerts.Router(_time, TimeSpan.Zero, out var logger, meters, new TargetRoute(pager, AlertSeverity.Info, MaxPerHour: 2, Burst: 2));

        foreach (var host in new[] { "h1", "h2", "h3", "h4", "h5" })
        {
            await router.PublishAsync(TestAlerts.HostFailing(host, _time.GetUtcNow()), default);
        }

        Assert.Equal(["h1", "h2"], pager.Alerts.Select(a => a.Host));
        Assert.Equal(3, rateLimited.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(3, logger.Collector.GetSnapshot().Count(e => e.Id.Id == 3101 && e.Level == LogLevel.Warning));
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(30), router.NextDue());

        _time.Advance(TimeSpan.FromMinutes(29));
        await router.PumpAsync(default);
        Assert.Equal(2, pager.Batches.Count);

        _time.Advance(TimeSpan.FromMinutes(1));
        await router.PumpAsync(default);

        var summary = Assert.Single(pager.Batches[2].Alerts);
        Assert.Equal(OverflowSummary.Condition, summary.Condition);
        Assert.Equal("3 more alert(s) held back by the rate limit of pagerduty; see Predictor for each", summary.Summary);
        Assert.Equal("h3, h4, h5", summary.Details["hosts"]);
        Assert.Equal("HostPredictedToFail x3", summary.Details["conditions"]);
        Assert.Contains(logger.Collector.GetSnapshot(), e => e.Id.Id == 3102 && e.Message.Contains("3 alert(s)", StringComparison.Ordinal));
        Assert.Null(router.NextDue());
    }

    [Fact]
    public async Task PublishActiveAsync_HostNoLongerActive_ResolvesIt()
    {
        var target = new RecordingTarget("t", grouping: true);
        var router = TestAlerts.Router(_time, TimeSpan.Zero, out _, null, new TargetRoute(target, AlertSeverity.Info, 0, 1));
        var h1 = TestAlerts.HostFailing("h1", _time.GetUtcNow());
        var h2 = TestAlerts.HostFailing("h2", _time.GetUtcNow());
        await router.PublishActiveAsync(AlertConditions.HostPredictedToFail, [h1, h2], default);
        _time.Advance(TimeSpan.FromMinutes(5));

        await router.PublishActiveAsync(AlertConditions.HostPredictedToFail, [h1 with { At = _time.GetUtcNow() }], default);

        var last = target.Batches[^1].Alerts.Single();
        Assert.Equal(("h2", true, _time.GetUtcNow()), (last.Host, last.Resolved, last.At));
        Assert.Equal(3, target.Alerts.Length);
    }

    [Fact]
    public async Task PublishAsync_ResolveOfAlertTheTargetNeverReceived_NotSentThere()
    {
        var pager = new RecordingTarget("pager", grouping: false);
        var chat = new RecordingTarget("chat", grouping: false);
        var router = TestAlerts.Router(
            _time,
            TimeSpan.Zero,
            out _,
            null,
            new TargetRoute(pager, AlertSeverity.Critical, 0, 1),
            new TargetRoute(chat, AlertSeverity.Info, 0, 1));
        var warning = TestAlerts.Plain(AlertConditions.TelemetryStale, null, _time.GetUtcNow(), AlertSeverity.Warning);

        await router.PublishAsync(warning, default);
        await router.PublishAsync(warning with { Resolved = true }, default);

        Assert.Empty(pager.Batches);
        Assert.Equal([false, true], chat.Alerts.Select(a => a.Resolved));
    }

    [Fact]
    public async Task PublishAsync_ResolveWithoutFiring_NotSent()
    {
        var target = new RecordingTarget("t", grouping: false);
        var router = TestAlerts.Router(_time, TimeSpan.Zero, out _, null, new TargetRoute(target, AlertSeverity.Info, 0, 1));

        await router.PublishAsync(TestAlerts.HostFailing("h1", _time.GetUtcNow()) with { Resolved = true }, default);

        Assert.Empty(target.Batches);
    }

    [Fact]
    public async Task PumpAsync_TargetFails_LogsCountsAndNextPublishSendsAgain()
    {
        var target = new RecordingTarget("t", grouping: false) { Fail = true };
        var router = TestAlerts.Router(_time, TimeSpan.Zero, out var logger, null, new TargetRoute(target, AlertSeverity.Info, 0, 1));
        var alert = TestAlerts.HostFailing("h1", _time.GetUtcNow());

        await router.PublishAsync(alert, default);
        var error = Assert.Single(logger.Collector.GetSnapshot(), e => e.Level == LogLevel.Error);
        Assert.Equal("Could not deliver 1 alert(s) of condition HostPredictedToFail to target t; they will be sent again when next published", error.Message);

        target.Fail = false;
        await router.PublishAsync(alert, default);
        Assert.Single(target.Alerts);
    }

    [Fact]
    public async Task PumpAsync_ResolvesWhileRateLimited_StillSent()
    {
        var target = new RecordingTarget("t", grouping: false);
        var router = TestAlerts.Router(_time, TimeSpan.Zero, out _, null, new TargetRoute(target, AlertSeverity.Info, MaxPerHour: 1, Burst: 1));
        var alert = TestAlerts.HostFailing("h1", _time.GetUtcNow());
        await router.PublishAsync(alert, default);
        await router.PublishAsync(TestAlerts.HostFailing("h2", _time.GetUtcNow()), default);

        await router.PublishAsync(alert with { Resolved = true }, default);

        Assert.Equal([("h1", false), ("h1", true)], target.Alerts.Select(a => (a.Host, a.Resolved)));
    }
}
