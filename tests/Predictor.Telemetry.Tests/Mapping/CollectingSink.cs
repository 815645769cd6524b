using System.Collections.Concurrent;
using Predictor.Core.Telemetry;

namespace Predictor.Telemetry.Tests.Mapping;

internal sealed class CollectingSink : ITelemetrySink
{
    public ConcurrentQueue<TelemetrySample> Samples { get; } = new();

    public void Write(in TelemetrySample sample) => Samples.Enqueue(sample);
}
