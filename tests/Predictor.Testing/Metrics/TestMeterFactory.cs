using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Predictor.Testing.Metrics;

/// <summary>
/// Creates real meters scoped to this factory and disposes them with it. Collect only this factory's
/// measurements with <see cref="Collect{T}"/>: tests running in parallel publish the same instruments.
/// </summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    /// <summary>Records what one instrument of a meter created by this factory measures.</summary>
    public MetricCollector<T> Collect<T>(string meterName, string instrumentName)
        where T : struct => new(this, meterName, instrumentName);

    public void Dispose()
    {
        lock (_meters)
        {
            _meters.ForEach(m => m.Dispose());
            _meters.Clear();
        }
    }
}
