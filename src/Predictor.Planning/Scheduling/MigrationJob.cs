using Predictor.Core.Plans;

namespace Predictor.Planning.Scheduling;

/// <summary>What let a migration start when it did (for the "why this order" explanation).</summary>
internal enum StartCause
{
    PlanStart,
    OutboundSlot,
    InboundSlot,
    DatacenterSlot,
    OwnerTime,
}

/// <summary>One placed move waiting for (then given) its start time by <see cref="MigrationScheduler"/>.</summary>
internal sealed class MigrationJob
{
    public required int Vm { get; init; }

    public required int Source { get; init; }

    public required int Destination { get; init; }

    public required MigrationKind Kind { get; init; }

    public required double DurationS { get; init; }

    public required double DowntimeMs { get; init; }

    /// <summary>Bytes sent over the source link (memory rounds for a live move, the disk for a cold one).</summary>
    public required double Bytes { get; init; }

    /// <summary>Earliest start (an owner's chosen slot, or the phase start).</summary>
    public double NotBeforeS { get; init; }

    /// <summary>The source host's predicted failure time; +∞ when unknown or not at risk.</summary>
    public double DeadlineS { get; init; } = double.PositiveInfinity;

    public int Criticality { get; init; }

    /// <summary>Why this destination and this kind of move.</summary>
    public required string Why { get; init; }

    public double StartS { get; set; } = double.NaN;

    public double EndS => StartS + DurationS;

    /// <summary>1-based position in the start order of its phase.</summary>
    public int Rank { get; set; }

    /// <summary>True when it started before moves off hosts that fail sooner, because its host had become critical for <see cref="TargetEndS"/>.</summary>
    public bool AheadOfDeadlineOrder { get; set; }

    /// <summary>The end the scheduler aimed at for its phase: the lower bound of the phase's moves.</summary>
    public double TargetEndS { get; set; }

    public StartCause Cause { get; set; }

    public bool Started => !double.IsNaN(StartS);
}
