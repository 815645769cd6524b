using Predictor.Core.Telemetry;

namespace Predictor.Daemon;

/// <summary>Writes every sample to two sinks (the windows and the streaming detectors).</summary>
internal sealed class TeeSink(ITelemetrySink first, ITelemetrySink second) : ITelemetrySink
{
    public void Write(in TelemetrySample sample)
    {
        first.Write(sample);
        second.Write(sample);
    }

    public void Write(string host, DateTimeOffset time, ReadOnlySpan<SignalReading> readings)
    {
        first.Write(host, time, readings);
        second.Write(host, time, readings);
    }
}
