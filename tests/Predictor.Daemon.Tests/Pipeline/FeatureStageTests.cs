using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Alerts;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Core.Telemetry;
using Predictor.Daemon.Features;
using Predictor.Daemon.Pipeline;
using Predictor.Telemetry.Windows;
using Predictor.Testing.Alerts;

namespace Predictor.Daemon.Tests.Pipeline;

public sealed class FeatureStageTests
{
    [Fact]
    public async Task RunAsync_HostWithoutRecentTelemetry_IsNotAssessedAndAShareOverTheLimitAlertsThenResolves()
    {
        var store = new HostWindowStore();
        var alerts = new CollectingAlertPublisher();
        var datacenter = new FixedDatacenter(Fleet.Inventory(2));
        var stage = new FeatureStage(datacenter, new HostFeatureSource(store, null), new QuarantineSet(), new PipelineOptions { StaleShareAlert = 0.5 }, alerts, NullLogger.Instance);
        store.Write(new TelemetrySample("h1", "cpu_temp_c", null, Fleet.Now.AddMinutes(-5), 50));

        var pass = new PassContext(Fleet.Now, 0);
        await stage.RunAsync(pass, CancellationToken.None);

        Assert.Equal(["h1"], pass.Fresh.Select(f => f.Host));
        Assert.Equal(1, stage.StaleCount);
        var stale = Assert.Single(alerts.Published);
        Assert.Equal((AlertConditions.TelemetryStale, false), (stale.Condition, stale.Resolved));
        Assert.Equal("1 of 2 hosts (50%) have no telemetry newer than 00:20:00; they are not assessed until it returns", stale.Summary);

        store.Write(new TelemetrySample("h2", "cpu_temp_c", null, Fleet.Now.AddMinutes(4), 50));
        store.Write(new TelemetrySample("h1", "cpu_temp_c", null, Fleet.Now.AddMinutes(4), 50));
        await stage.RunAsync(new PassContext(Fleet.Now.AddMinutes(5), 1), CancellationToken.None);

        Assert.Equal(0, stage.StaleCount);
        Assert.True(alerts.Published.Last().Resolved);
    }

    private sealed class FixedDatacenter(DatacenterInventory inventory) : IDatacenter
    {
        public IReadOnlyList<HostUpdate> PendingUpdates => [];

        public DatacenterInventory Inventory() => inventory;
    }
}
