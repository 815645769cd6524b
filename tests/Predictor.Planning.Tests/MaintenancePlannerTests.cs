using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Predictor.Core.Plans;
using Predictor.Planning.Tests.Support;
using Predictor.Testing;
using static Predictor.Planning.Tests.Support.Build;

namespace Predictor.Planning.Tests;

public class MaintenancePlannerTests
{
    /// <summary>Each timestamp read is exactly 1.5 s after the previous one.</summary>
    private sealed class SteppingTimeProvider : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => 1000;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, 1500);
    }

    [Fact]
    public void Plan_PlanningTime_IsMeasuredThroughTheTimeProvider()
    {
        var request = Request(Inventory([Host("a"), Host("b")], [Vm("v1", "a")]), ["a"]);

        var plan = new MaintenancePlanner(new SteppingTimeProvider()).Plan(request);

        Assert.Equal(1.5, plan.Summary.PlanningS);
    }

    [Fact]
    public void Plan_UnknownHostsAndBadLimits_ThrowsListingEveryProblem()
    {
        var request = Request(Inventory([Host("a")], []), ["zz"], [new HostUpdate("yy", "u", UpdateKind.Reboot)], new PlanLimits { MaxConcurrent = 0 });

        var error = Assert.Throws<ArgumentException>(() => Build.Plan(request));

        Assert.StartsWith("Plan request is invalid (3 errors):", error.Message, StringComparison.Ordinal);
        Assert.Contains("atRisk[0].host: unknown host 'zz'", error.Message, StringComparison.Ordinal);
        Assert.Contains("updates[0].host: unknown host 'yy'", error.Message, StringComparison.Ordinal);
        Assert.Contains("limits.maxConcurrent: must be at least 1, got 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_WithLogger_LogsTheOutcomeAndEveryUnplacedVm()
    {
        var logger = new FakeLogger<MaintenancePlanner>();
        var request = Request(Inventory([Host("a"), Host("b", mem: 4)], [Vm("v1", "a", mem: 8)]), ["a"]);

        new MaintenancePlanner(new ManualTimeProvider(), logger).Plan(request);

        Assert.Contains(logger.Collector.GetSnapshot(), e => e.Id.Id == 6002 && e.Level == LogLevel.Warning && e.Message.StartsWith("VM v1 cannot be evacuated: Host a is at risk", StringComparison.Ordinal));
        Assert.Contains(logger.Collector.GetSnapshot(), e => e.Id.Id == 6001 && e.Message.Contains("0 moves, 1 unplaced, 0 maintenance steps", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_Limits_EchoTheRequestWithDowntimeAndHeadroom()
    {
        var request = Request(Inventory([Host("a"), Host("b")], [Vm("v1", "a")]), ["a"], limits: new PlanLimits { MaxConcurrent = 7 });

        var plan = Build.Plan(request);

        Assert.Equal(7, plan.Limits.MaxConcurrent);
        Assert.Equal(500.0, plan.Limits.Extra!["maxDowntimeMs"]);
        Assert.Equal(0.0, plan.Limits.Extra["headroomFraction"]);
    }
}
