using Predictor.Simulation.Failures;

namespace Predictor.Simulation.Signals;

/// <summary>A benign burst of correctable errors on a healthy DIMM (cosmic rays, a marginal cell re-read).</summary>
internal readonly record struct ErrorBurst(long StartTicks, long LengthTicks, double Count);

/// <summary>A hot-aisle excursion: the inlet temperature of a whole rack rises for a while.</summary>
internal readonly record struct InletExcursion(long StartTicks, long LengthTicks, double DegreesC);

/// <summary>Per-disk constants; the strings are cached so emitting allocates nothing per sample.</summary>
internal sealed class DiskModel(string name)
{
    public string Name { get; } = name;
    public double PowerOnHoursAtStart { get; init; }
    public double TemperatureOffset { get; init; }
    public double StaticReallocated { get; init; }
    public double StaticReported { get; init; }
    public double StaticTimeouts { get; init; }
    public double StaticPending { get; init; }
}

/// <summary>Per-DIMM correctable-error history: a count carried in, a steady leak, and benign bursts.</summary>
internal sealed class DimmModel(string name)
{
    public string Name { get; } = name;
    public double CountAtStart { get; init; }
    public double LeakPerHour { get; init; }
    public ErrorBurst[] Bursts { get; init; } = [];
}

internal sealed class NicModel(string name)
{
    public string Name { get; } = name;
    public double CountAtStart { get; init; }
    public double ErrorsPerHour { get; init; }
}

/// <summary>Everything that makes one host's telemetry, fixed when the fleet is created.</summary>
internal sealed class HostModel(string id, int rack)
{
    public string Id { get; } = id;
    public int Rack { get; } = rack;
    public DiskModel[] Disks { get; init; } = [];
    public DimmModel[] Dimms { get; init; } = [];
    public string[] Fans { get; init; } = [];
    public double[] FanNominalRpm { get; init; } = [];
    public string[] Psus { get; init; } = ["1", "2"];
    public NicModel[] Nics { get; init; } = [];
    public double BaseLoad { get; init; }
    public double LoadSwing { get; init; }
    public double CpuTemperatureOffset { get; init; }
    public double MachineChecksAtStart { get; init; }
    public InjectedFailure? Failure { get; set; }

    /// <summary>Ticks of the failure time; the host emits only samples strictly before it.</summary>
    public long FailsAtTicks => Failure?.FailsAt.UtcTicks ?? long.MaxValue;
}

/// <summary>Per-rack air: a baseline inlet temperature and the rack's hot-aisle excursions.</summary>
internal sealed class RackModel
{
    public double InletBase { get; init; }
    public InletExcursion[] Excursions { get; init; } = [];
}
