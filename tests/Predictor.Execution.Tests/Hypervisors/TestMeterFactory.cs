using System.Diagnostics.Metrics;

namespace Predictor.Execution.Tests.Hypervisors;

/// <summary>Creates real meters that nobody listens to, and disposes them with the factory.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());
}
