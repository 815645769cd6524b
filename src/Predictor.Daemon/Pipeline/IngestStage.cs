using Predictor.Core.Telemetry;
using Predictor.Daemon.Features;

namespace Predictor.Daemon.Pipeline;

/// <summary>Brings the per-host windows (and the streaming detectors) up to the pass's time.</summary>
internal sealed class IngestStage(ITelemetrySource telemetry, HostFeatureSource features)
{
    public ValueTask RunAsync(PassContext pass, CancellationToken cancellationToken) =>
        telemetry.IngestUntilAsync(pass.Now, features.Sink, cancellationToken);
}
