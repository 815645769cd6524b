using Predictor.Simulation;
using Predictor.Simulation.Output;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Daemon.Telemetry;

/// <summary>
/// Hands the simulated fleet's telemetry over a real path (HTTP push, InfluxDB) instead of in process: at each pass it
/// renders the samples since the previous pass as line protocol (second precision) and sends them, and the pass waits
/// until they are accepted, so a scenario on the virtual clock ingests exactly what the in-process path would.
/// A failed send is retried from the same point at the next pass; nothing is skipped.
/// </summary>
internal abstract class SimulatedTelemetryEmitter(SimulatedFleet fleet)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset _emittedUntil = fleet.Options.Start;

    /// <summary>What the emitter writes to, for logs.</summary>
    public abstract string Target { get; }

    /// <summary>Lines sent since start.</summary>
    public long LinesSent { get; private set; }

    /// <summary>Sends the telemetry in (last emitted, <paramref name="now"/>]; throws when the target refuses it or cannot be reached.</summary>
    public async Task EmitUntilAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (now <= _emittedUntil)
            {
                return;
            }

            using var buffer = new MemoryStream();
            var sink = new LineProtocolTelemetrySink(buffer, TimestampPrecision.Seconds);
            fleet.EmitTelemetry(_emittedUntil, now, sink);
            sink.Flush();
            if (sink.Lines > 0)
            {
                await SendAsync(new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
            }

            LinesSent += sink.Lines;
            _emittedUntil = now;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends whole lines (second precision); returns once the target accepted all of them.</summary>
    protected abstract Task SendAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken);
}
