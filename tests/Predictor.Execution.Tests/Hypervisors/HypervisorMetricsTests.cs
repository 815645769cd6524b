using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Predictor.Execution.Hypervisors;
using Predictor.Testing.Metrics;

namespace Predictor.Execution.Tests.Hypervisors;

/// <summary>The hypervisors' pauses are measured in seconds, Prometheus' base unit (promtool refuses milliseconds).</summary>
public sealed class HypervisorMetricsTests
{
    [Fact]
    public void Record_PausesDowntimesAndHotRestarts_InSeconds()
    {
        var factory = new TestMeterFactory();
        var metrics = new HypervisorMetrics(factory);
        using var downtime = new MetricCollector<double>(factory, HypervisorMetrics.MeterName, "predictor.hypervisor.migration.downtime");
        using var pause = new MetricCollector<double>(factory, HypervisorMetrics.MeterName, "predictor.hypervisor.pause.duration");
        using var hotRestart = new MetricCollector<double>(factory, HypervisorMetrics.MeterName, "predictor.hypervisor.hot_restart.blackout");

        metrics.RecordMigration(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250), "qemu");
        metrics.RecordPause(TimeSpan.FromMilliseconds(1500), "qemu");
        metrics.RecordHotRestart(TimeSpan.FromMilliseconds(15), "qemu");

        Assert.Equal(("s", 0.25), (downtime.Instrument!.Unit, downtime.LastMeasurement!.Value));
        Assert.Equal(("s", 1.5), (pause.Instrument!.Unit, pause.LastMeasurement!.Value));
        Assert.Equal(("s", 0.015), (hotRestart.Instrument!.Unit, hotRestart.LastMeasurement!.Value));
    }
}
