using Predictor.Telemetry.Mapping;
using Predictor.Telemetry.Spool;

namespace Predictor.Daemon.Telemetry;

/// <summary>The telemetry part of <c>/api/v1/status</c>: where telemetry comes from and what the mapping could not place.</summary>
/// <param name="Source">Telemetry:Source.</param>
/// <param name="Emit">The simulator's resolved emit path (InProcess, Push, Influx, None).</param>
/// <param name="Mapped">Samples mapped into the windows (null for the in-process simulator, which needs no mapping).</param>
/// <param name="UnmappedValues">Field values no rule claimed.</param>
/// <param name="UnknownHostSamples">Samples of hosts not in the inventory.</param>
/// <param name="MissingHostTag">Field values without the host tag.</param>
/// <param name="UnknownHosts">The unknown hosts with the most samples (at most 20).</param>
/// <param name="UnmappedFields">The unmapped <c>measurement.field</c> keys with the most values (at most 20).</param>
/// <param name="SpoolPendingBytes">Bytes waiting in the forwarding spool (null without forwarding).</param>
/// <param name="EmittedLines">Lines the simulator sent over its path (null when it emits in process or not at all).</param>
public sealed record TelemetryStatusSnapshot(
    string Source,
    string Emit,
    long? Mapped,
    long UnmappedValues,
    long UnknownHostSamples,
    long MissingHostTag,
    IReadOnlyDictionary<string, long> UnknownHosts,
    IReadOnlyDictionary<string, long> UnmappedFields,
    long? SpoolPendingBytes,
    long? EmittedLines);

/// <summary>Collects <see cref="TelemetryStatusSnapshot"/> from the parts of the chosen source.</summary>
internal sealed class TelemetryStatus(TelemetrySourceKind source, SimulationEmitKind emit, SignalMapper? mapper, DiskSpool? spool, ITelemetryEmitter? emitter)
{
    private const int Listed = 20;

    public TelemetryStatusSnapshot Snapshot()
    {
        var report = mapper?.Report();
        return new TelemetryStatusSnapshot(
            source.ToString(),
            emit.ToString(),
            report?.Mapped,
            report?.Unmapped ?? 0,
            report?.UnknownHost ?? 0,
            report?.MissingHostTag ?? 0,
            Top(report?.UnknownHosts),
            Top(report?.UnmappedFields),
            spool?.PendingBytes,
            emitter?.LinesSent);
    }

    private static Dictionary<string, long> Top(IReadOnlyDictionary<string, long>? counts) =>
        counts is null
            ? []
            : counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(Listed).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
}
