using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Polly.Timeout;
using Predictor.Core.Telemetry;
using Predictor.Telemetry.Influx;
using Predictor.Telemetry.Mapping;
using Predictor.Core.Inventory;

namespace Predictor.Daemon.Telemetry;

/// <summary>
/// A source whose points go through the <see cref="SignalMapper"/> into the windows: pushes (written as they arrive),
/// an InfluxDB pull or node_exporter scrapes (read at the start of each pass). With a simulated datacenter, the
/// simulator's telemetry is first sent over the configured path, and the pass waits for it. Every pass refreshes the
/// hosts the mapper accepts from the inventory and logs samples of unknown hosts or unmapped fields when they grow.
/// </summary>
internal sealed class MappedTelemetrySource(
    TelemetrySourceKind kind,
    SignalMapper mapper,
    KnownHosts knownHosts,
    IDatacenter datacenter,
    ITelemetryEmitter? emitter,
    Func<CancellationToken, Task>? readDuringPass,
    ILogger<MappedTelemetrySource> logger) : ITelemetrySource
{
    private long _unknownReported;
    private long _unmappedReported;
    private long _missingHostReported;

    public TelemetrySourceKind Kind => kind;

    public ITelemetryEmitter? Emitter => emitter;

    public async ValueTask IngestUntilAsync(DateTimeOffset now, ITelemetrySink sink, CancellationToken cancellationToken)
    {
        knownHosts.Refresh(datacenter.Inventory());
        if (emitter is not null)
        {
            try
            {
                await emitter.EmitUntilAsync(now, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransport(e, cancellationToken))
            {
                Log.EmitFailed(logger, emitter.Target, e.Message);
            }
        }

        if (readDuringPass is not null)
        {
            try
            {
                await readDuringPass(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransport(e, cancellationToken))
            {
                Log.ReadFailed(logger, kind, e.Message);
            }
        }

        ReportMappingProblems();
    }

    private void ReportMappingProblems()
    {
        var report = mapper.Report();
        if (report.UnknownHost > _unknownReported)
        {
            Log.UnknownHosts(logger, report.UnknownHost - _unknownReported, report.UnknownHosts.Count, Top(report.UnknownHosts));
            _unknownReported = report.UnknownHost;
        }

        if (report.Unmapped > _unmappedReported)
        {
            Log.UnmappedFields(logger, report.Unmapped - _unmappedReported, report.UnmappedFields.Count, Top(report.UnmappedFields));
            _unmappedReported = report.Unmapped;
        }

        if (report.MissingHostTag > _missingHostReported)
        {
            Log.MissingHostTag(logger, report.MissingHostTag - _missingHostReported);
            _missingHostReported = report.MissingHostTag;
        }
    }

    private static string Top(IReadOnlyDictionary<string, long> counts) =>
        string.Join(", ", counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(5).Select(c => $"{c.Key} ({c.Value})"));

    /// <summary>Failures of the network or the remote end, which the next pass retries; anything else is a bug and fails the pass.</summary>
    private static bool IsTransport(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or InfluxException or TimeoutRejectedException or SocketException or Polly.CircuitBreaker.BrokenCircuitException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
