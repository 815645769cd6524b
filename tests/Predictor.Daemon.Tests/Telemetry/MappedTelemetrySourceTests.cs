using Microsoft.Extensions.Logging.Testing;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Daemon.Telemetry;
using Predictor.Simulation;
using Predictor.Simulation.Emit;
using Predictor.Simulation.Output;
using Predictor.Telemetry.Mapping;
using Predictor.Testing.Telemetry;

namespace Predictor.Daemon.Tests.Telemetry;

public sealed class MappedTelemetrySourceTests
{
    private static readonly SimulatedFleet s_fleet = SimulatedFleet.Create(new SimulationOptions { Hosts = 3, Duration = TimeSpan.FromDays(1), FailuresPerHostYear = 0 });

    [Fact]
    public async Task IngestUntilAsync_EmitFailsOnce_LoggedAndNextPassSendsTheWholeRange()
    {
        var emitter = new FlakyEmitter(s_fleet, failures: 1);
        var logger = new FakeLogger<MappedTelemetrySource>();
        var source = Source(emitter, read: null, logger);
        var start = s_fleet.Options.Start;

        await source.IngestUntilAsync(start.AddMinutes(10), NullSink.Instance, CancellationToken.None);
        var afterFailure = emitter.LinesSent;
        await source.IngestUntilAsync(start.AddMinutes(20), NullSink.Instance, CancellationToken.None);

        var expected = new LineProtocolTelemetrySink(Stream.Null);
        s_fleet.EmitTelemetry(start, start.AddMinutes(20), expected);
        Assert.Equal(0, afterFailure);
        Assert.True(expected.Lines > 0);
        Assert.Equal((expected.Lines, expected.Lines), (emitter.LinesSent, emitter.Received));
        var entry = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal((1402, "The simulator's telemetry could not be sent to flaky: connection refused; the next pass sends it again"), (entry.Id.Id, entry.Message));
    }

    [Fact]
    public async Task IngestUntilAsync_ReadFails_LoggedAndThePassGoesOn()
    {
        var logger = new FakeLogger<MappedTelemetrySource>();
        var source = Source(null, _ => throw new HttpRequestException("influxdb: 503 Service Unavailable"), logger);

        await source.IngestUntilAsync(s_fleet.Options.Start, NullSink.Instance, CancellationToken.None);

        var entry = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal((1403, "Telemetry source Pull could not be read: influxdb: 503 Service Unavailable; the pass goes on with the windows as they are"), (entry.Id.Id, entry.Message));
    }

    [Fact]
    public async Task IngestUntilAsync_CancelledByShutdown_Throws()
    {
        var source = Source(null, ct => Task.Delay(Timeout.InfiniteTimeSpan, ct), new FakeLogger<MappedTelemetrySource>());
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await source.IngestUntilAsync(s_fleet.Options.Start, NullSink.Instance, stop.Token));
    }

    private static MappedTelemetrySource Source(ITelemetryEmitter? emitter, Func<CancellationToken, Task>? read, FakeLogger<MappedTelemetrySource> logger)
    {
        var hosts = new KnownHosts(s_fleet.Inventory);
        return new MappedTelemetrySource(TelemetrySourceKind.Pull, new SignalMapper(new SignalMappingOptions(), NullSink.Instance, hosts), hosts, new FleetDatacenter(), emitter, read, logger);
    }

    private sealed class FlakyEmitter(SimulatedFleet fleet, int failures) : LineProtocolEmitter(fleet)
    {
        private int _failures = failures;

        public long Received { get; private set; }

        public override string Target => "flaky";

        protected override Task SendAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
        {
            if (_failures-- > 0)
            {
                throw new HttpRequestException("connection refused");
            }

            Received += lines.Span.Count((byte)'\n');
            return Task.CompletedTask;
        }
    }

    private sealed class FleetDatacenter : IDatacenter
    {
        public IReadOnlyList<HostUpdate> PendingUpdates => [];

        public DatacenterInventory Inventory() => s_fleet.Inventory;
    }
}
