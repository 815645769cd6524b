using Predictor.Core.Telemetry;

namespace Predictor.Testing.Telemetry;

/// <summary>A telemetry sink that drops every sample, for code that needs a sink but a test that does not read it.</summary>
public sealed class NullSink : ITelemetrySink
{
    public static NullSink Instance { get; } = new();

    private NullSink()
    {
    }

    public void Write(in TelemetrySample sample)
    {
    }
}
