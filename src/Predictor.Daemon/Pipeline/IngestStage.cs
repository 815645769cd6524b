using Predictor.Core.Telemetry;
using Predictor.Learning.TimeSeries.Streaming;
using Predictor.Telemetry.Windows;

namespace Predictor.Daemon.Pipeline;

/// <summary>Brings the per-host windows (and the streaming detectors) up to the pass's time.</summary>
internal sealed class IngestStage(ITelemetrySource telemetry, HostWindowStore store, HostSignalDetectors? detectors)
{
    private readonly ITelemetrySink _sink = detectors is null ? store : new TeeSink(store, detectors);

    public ValueTask RunAsync(PassContext pass, CancellationToken cancellationToken) =>
        telemetry.IngestUntilAsync(pass.Now, _sink, cancellationToken);
}
