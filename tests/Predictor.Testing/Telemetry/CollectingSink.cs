using System.Collections.Concurrent;
using Predictor.Core.Telemetry;

namespace Predictor.Testing.Telemetry;

/// <summary>A telemetry sink that keeps the samples a filter accepts (all without one), in order, from any thread.</summary>
public sealed class CollectingSink(Func<TelemetrySample, bool>? filter = null) : ITelemetrySink
{
    private readonly ConcurrentQueue<TelemetrySample> _samples = new();

    /// <summary>The samples kept so far; enumerating takes a snapshot.</summary>
    public IReadOnlyCollection<TelemetrySample> Samples => _samples;

    public void Write(in TelemetrySample sample)
    {
        if (filter is null || filter(sample))
        {
            _samples.Enqueue(sample);
        }
    }
}
