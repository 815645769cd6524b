using Predictor.Daemon.Telemetry;
using Predictor.Simulation.Output;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Simulation.Emit;

/// <summary>
/// Hands the simulated fleet's telemetry over a real path (HTTP push, InfluxDB, a scraped exposition) instead of in
/// process: at each pass it emits the samples since the previous pass, and the pass waits until the path has taken
/// them, so a scenario on the virtual clock ingests what the in-process path would. A failed hand-over is retried from
/// the same point at the next pass; nothing is skipped.
/// </summary>
internal abstract class SimulatedTelemetryEmitter(SimulatedFleet fleet) : ITelemetryEmitter
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset _emittedUntil = fleet.Options.Start;

    protected SimulatedFleet Fleet => fleet;

    /// <summary>What the emitter writes to, for logs.</summary>
    public abstract string Target { get; }

    /// <summary>Lines (or exposed samples) handed over since start.</summary>
    public long LinesSent { get; private set; }

    /// <summary>Hands over the telemetry in (last emitted, <paramref name="now"/>]; throws when the target refuses it or cannot be reached.</summary>
    public async Task EmitUntilAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (now <= _emittedUntil)
            {
                return;
            }

            LinesSent += await EmitAsync(_emittedUntil, now, cancellationToken).ConfigureAwait(false);
            _emittedUntil = now;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Hands over the samples in (<paramref name="fromExclusive"/>, <paramref name="toInclusive"/>]; returns how many lines or samples.</summary>
    protected abstract Task<long> EmitAsync(DateTimeOffset fromExclusive, DateTimeOffset toInclusive, CancellationToken cancellationToken);
}

/// <summary>Emits the simulator's samples as line protocol (second precision), one buffer per pass.</summary>
internal abstract class LineProtocolEmitter(SimulatedFleet fleet) : SimulatedTelemetryEmitter(fleet)
{
    protected override async Task<long> EmitAsync(DateTimeOffset fromExclusive, DateTimeOffset toInclusive, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var sink = new LineProtocolTelemetrySink(buffer, TimestampPrecision.Seconds);
        Fleet.EmitTelemetry(fromExclusive, toInclusive, sink);
        sink.Flush();
        if (sink.Lines > 0)
        {
            await SendAsync(new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
        }

        return sink.Lines;
    }

    /// <summary>Sends whole lines (second precision); returns once the target accepted all of them.</summary>
    protected abstract Task SendAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken);
}
