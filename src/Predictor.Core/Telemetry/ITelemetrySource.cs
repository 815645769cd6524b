
namespace Predictor.Core.Telemetry;

/// <summary>Where the daemon's telemetry comes from; called at the start of every pass.</summary>
public interface ITelemetrySource
{
    /// <summary>
    /// Brings the windows up to <paramref name="now"/>: a source read during the pass (the in-process simulator,
    /// an InfluxDB pull, a scrape) writes to <paramref name="sink"/> or the same windows before it returns; a source
    /// fed continuously (pushes) has written as points arrived. A source failure is logged, not thrown, so the
    /// pass goes on with what the windows hold (hosts whose data stops become stale).
    /// </summary>
    ValueTask IngestUntilAsync(DateTimeOffset now, ITelemetrySink sink, CancellationToken cancellationToken);
}
