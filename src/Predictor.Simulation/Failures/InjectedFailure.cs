namespace Predictor.Simulation.Failures;

/// <summary>
/// One failure and the parameters of its precursor curve. The precursor progress at time t is
/// f = (t − PrecursorStart) / (FailsAt − PrecursorStart) clamped to [0, 1]; each mode turns f into signal
/// deviations (see <see cref="Signals.TelemetryEmitter"/>).
/// </summary>
internal sealed record InjectedFailure(
    int Host,
    FailureMode Mode,
    int Component,
    DateTimeOffset FailsAt,
    DateTimeOffset? PrecursorStart)
{
    /// <summary>Disk: final reallocated sectors. DIMM: final CE rate as a multiple of the starting rate. Fan: CPU thermal trip temperature, °C, reached at failure.</summary>
    public double Magnitude { get; init; }

    /// <summary>Disk: final pending sectors. DIMM: starting CE rate per hour.</summary>
    public double Secondary { get; init; }

    /// <summary>Disk: final reported-uncorrectable (187) count, 0 for disks that never report it.</summary>
    public double Reported { get; init; }

    /// <summary>Disk: final command-timeout (188) count, 0 for disks that never report it.</summary>
    public double Timeouts { get; init; }

    /// <summary>Disk: offline-uncorrectable (198) as a share of pending sectors.</summary>
    public double OfflineShare { get; init; }

    /// <summary>Curvature of the precursor (exponent on f): above 1 accelerates towards the end.</summary>
    public double Shape { get; init; } = 2;

    /// <summary>DIMM: when the first (non-fatal, patrol-scrub) uncorrectable error is logged.</summary>
    public DateTimeOffset? FirstUncorrectableAt { get; init; }

    public string Cause => Mode switch
    {
        FailureMode.Disk => "disk-media",
        FailureMode.Dimm => "memory-uncorrectable",
        FailureMode.Fan => "fan-thermal-shutdown",
        _ => "psu-power-loss",
    };

    /// <summary>Precursor progress in [0, 1]; 0 before the precursor and for failures with no warning.</summary>
    public double Progress(long ticks)
    {
        if (PrecursorStart is not { } p || ticks <= p.UtcTicks)
        {
            return 0;
        }

        return Math.Min(1.0, (double)(ticks - p.UtcTicks) / (FailsAt.UtcTicks - p.UtcTicks));
    }
}
