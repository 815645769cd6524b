using Predictor.Core.Telemetry;
using Predictor.Simulation.Scenarios;

namespace Predictor.Simulation.Emit;

/// <summary>The embedded default: the simulated fleet writes its samples straight into the pass's sink.</summary>
internal sealed class InProcessTelemetrySource(SimulatedWorld world) : ITelemetrySource
{
    public ValueTask IngestUntilAsync(DateTimeOffset now, ITelemetrySink sink, CancellationToken cancellationToken)
    {
        world.IngestUntil(now, sink);
        return ValueTask.CompletedTask;
    }
}
