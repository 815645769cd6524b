using System.Buffers;
using Predictor.Core.Telemetry;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Simulation.Output;

/// <summary>
/// Writes samples as line protocol (layout in <see cref="TelemetryMeasurements"/>). Consecutive samples of
/// the same host, measurement, component and time share one line, which is how the simulator emits them.
/// Call <see cref="Flush"/> at the end; the sink buffers up to about a megabyte between writes.
/// </summary>
public sealed class LineProtocolTelemetrySink : ITelemetrySink
{
    private const int FlushThreshold = 1 << 20;

    private readonly Stream _output;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold + 4096);
    private readonly LineProtocolWriter _writer;
    private bool _open;
    private string _host = "";
    private string _measurement = "";
    private string? _component;
    private DateTimeOffset _time;

    public LineProtocolTelemetrySink(Stream output, TimestampPrecision precision = TimestampPrecision.Seconds)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _writer = new LineProtocolWriter(_buffer, precision);
    }

    /// <summary>Lines written so far (including one still open).</summary>
    public long Lines { get; private set; }

    public void Write(in TelemetrySample sample)
    {
        var m = TelemetryMeasurements.Of(sample.Signal);
        if (_open && !(ReferenceEquals(m.Measurement, _measurement) && sample.Time == _time
            && string.Equals(sample.Host, _host, StringComparison.Ordinal) && string.Equals(sample.Component, _component, StringComparison.Ordinal)))
        {
            EndLine();
        }

        if (!_open)
        {
            _writer.BeginLine(m.Measurement).Tag("host", sample.Host);
            if (m.ComponentTag is not null && sample.Component is not null)
            {
                _writer.Tag(m.ComponentTag, sample.Component);
            }

            _open = true;
            _host = sample.Host;
            _measurement = m.Measurement;
            _component = sample.Component;
            _time = sample.Time;
            Lines++;
        }

        if (m.Integer)
        {
            _writer.Field(sample.Signal, (long)Math.Round(sample.Value));
        }
        else
        {
            _writer.Field(sample.Signal, sample.Value);
        }
    }

    /// <summary>Ends the open line and writes everything buffered to the stream.</summary>
    public void Flush()
    {
        if (_open)
        {
            EndLine();
        }

        WriteBuffer();
        _output.Flush();
    }

    private void EndLine()
    {
        _writer.EndLine(_time);
        _open = false;
        if (_buffer.WrittenCount >= FlushThreshold)
        {
            WriteBuffer();
        }
    }

    private void WriteBuffer()
    {
        _output.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }
}
