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

    /// <summary>Why this destination and this kind of move; null when <see cref="LiveWhy"/> holds it.</summary>
    public string? Why { get; init; }

    /// <summary>
    /// A live move's reason as the figures it is made of, written out once with the plan step
    /// (<see cref="Placement.MoveBuilder.AppendWhy"/>) instead of as a string here and again there.
    /// </summary>
    public LiveMoveReason? LiveWhy { get; init; }

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

/// <summary>What a live move's reason says, captured when the move was placed (the room left changes as others are placed).</summary>
/// <param name="Prefix">Why the VM leaves its host.</param>
/// <param name="AutoConverge">The move throttles the guest (it would not converge at <paramref name="PlainBandwidthGbps"/> alone).</param>
/// <param name="PlainBandwidthGbps">The move's share of the links.</param>
/// <param name="MemoryLeftGiB">The destination's memory left after headroom once this VM was reserved on it.</param>
/// <param name="FasterThan">The host it was first placed on when it moved to a faster link, else -1.</param>
/// <param name="MaxDowntimeMs">The request's downtime limit.</param>
internal readonly record struct LiveMoveReason(string Prefix, bool AutoConverge, double PlainBandwidthGbps, double MemoryLeftGiB, int FasterThan, double MaxDowntimeMs);
