using Predictor.Core.Telemetry;
using Predictor.Daemon.Telemetry;
using Predictor.Simulation.Scenarios;
using Predictor.Telemetry.Influx;

namespace Predictor.Simulation.Emit;

/// <summary>The simulated world's telemetry paths, handed to the daemon's telemetry composition.</summary>
internal sealed class SimulatedTelemetry(SimulatedWorld world) : ISimulatedTelemetry
{
    public ITelemetrySource InProcess { get; } = new InProcessTelemetrySource(world);

    public IReadOnlyList<string> Hosts { get; } = [.. world.Fleet.Inventory.Hosts.Select(h => h.Id)];

    public ITelemetryEmitter CreatePushEmitter(HttpClient http, Func<CancellationToken, Task<Uri>> baseAddress, string database, string? token, int batchBytes) =>
        new PushEmitter(world.Fleet, http, baseAddress, database, token, batchBytes);

    public ITelemetryEmitter CreateInfluxEmitter(InfluxClient client) => new InfluxEmitter(world.Fleet, client);

    public IScrapeExposition CreateScrapeExposition(TimeProvider time) => new ScrapeExposition(world.Fleet, time);
}
