using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Testing;
using Predictor.Core.Alerts;
using Predictor.Notifications.Routing;
using Predictor.Testing;
using Predictor.Testing.Metrics;

namespace Predictor.Notifications.Tests.Support;

internal static class TestAlerts
{
    public static Alert HostFailing(string host, DateTimeOffset at, string probability = "0.87", AlertSeverity severity = AlertSeverity.Critical) => new(
        AlertConditions.HostPredictedToFail,
        Alert.KeyFor(AlertConditions.HostPredictedToFail, host),
        severity,
        "predicted to fail; evacuating",
        host,
        at,
        ImmutableDictionary<string, string>.Empty
            .Add(AlertDetailKeys.Probability, probability)
            .Add(AlertDetailKeys.Horizon, "48h")
            .Add(AlertDetailKeys.Evidence, "smart_reallocated_sectors +120/day")
            .Add(AlertDetailKeys.Action, "live-migrating 7 VMs")
            .Add(AlertDetailKeys.Progress, "3/7 VMs moved")
            .Add(AlertDetailKeys.Runbook, "https://runbooks.example/host-failing"));

    public static Alert Plain(string condition, string? host, DateTimeOffset at, AlertSeverity severity = AlertSeverity.Critical) =>
        new(condition, Alert.KeyFor(condition, host), severity, condition + " happened", host, at, ImmutableDictionary<string, string>.Empty);

    public static NotificationRouter Router(
        ManualTimeProvider time,
        TimeSpan groupWait,
        out FakeLogger<NotificationRouter> logger,
        IMeterFactory? meters = null,
        params TargetRoute[] routes)
    {
        logger = new FakeLogger<NotificationRouter>();
        return new NotificationRouter(routes, new RouterSettings(groupWait, TimeSpan.FromHours(4)), time, new NotificationMetrics(meters ?? new TestMeterFactory()), logger);
    }
}
