using Microsoft.Extensions.Logging;
using Predictor.Core.Telemetry;

namespace Predictor.Daemon.Datacenter;

/// <summary>
/// What a real datacenter ingests when no telemetry source is configured: nothing. Every host then stays stale, is
/// never assessed, and the stale-telemetry alert tells on-call; the simulator's telemetry is never mixed into a real fleet.
/// </summary>
internal sealed class NoTelemetryConfigured(ILogger<NoTelemetryConfigured> logger) : ITelemetrySource
{
    private int _warned;

    public ValueTask IngestUntilAsync(DateTimeOffset now, ITelemetrySink sink, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _warned, 1) == 0)
        {
            Log.NoTelemetry(logger);
        }

        return ValueTask.CompletedTask;
    }
}
