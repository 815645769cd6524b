using Predictor.Core.Telemetry;

namespace Predictor.Core.Risk;

/// <summary>
/// The host features the daemon computes from its telemetry windows (the streaming detectors add theirs, see
/// <c>DetectorFeatureNames</c>). The first twenty are the features of the first host models; the temporal ones after them
/// tell a counter that grows from one that sits still, a rising error storm from a short burst, a failing fan from a
/// hot aisle, and how long the daemon has watched the host (a value seen once says nothing about its growth).
/// </summary>
public static class FeatureNames
{
    public const string SmartReallocatedMax = SignalNames.SmartReallocatedSectors + ".max";
    public const string SmartReallocatedDelta3d = SignalNames.SmartReallocatedSectors + ".delta_3d";
    public const string SmartReportedUncorrectableMax = SignalNames.SmartReportedUncorrectable + ".max";
    public const string SmartCommandTimeoutMax = SignalNames.SmartCommandTimeout + ".max";
    public const string SmartPendingMax = SignalNames.SmartPendingSectors + ".max";
    public const string SmartPendingDelta3d = SignalNames.SmartPendingSectors + ".delta_3d";
    public const string SmartOfflineUncorrectableMax = SignalNames.SmartOfflineUncorrectable + ".max";
    public const string SmartTemperatureMax = SignalNames.SmartTemperature + ".max";
    public const string MemoryCorrectableRate1h = SignalNames.MemoryCorrectableTotal + ".rate_1h";
    public const string MemoryCorrectableRate24h = SignalNames.MemoryCorrectableTotal + ".rate_24h";
    public const string MemoryUncorrectableDelta24h = SignalNames.MemoryUncorrectableTotal + ".delta_24h";
    public const string MachineChecksDelta24h = SignalNames.MachineChecksTotal + ".delta_24h";
    public const string CpuTemperatureLast = SignalNames.CpuTemperature + ".last";
    public const string CpuTemperatureSlope24h = SignalNames.CpuTemperature + ".slope_24h";
    public const string InletTemperatureLast = SignalNames.InletTemperature + ".last";
    public const string FanSpeedMin = SignalNames.FanSpeed + ".min";
    public const string FanSpeedSlope24h = SignalNames.FanSpeed + ".slope_24h";
    public const string PsuOkMin = SignalNames.PsuOk + ".min";
    public const string NicErrorsRate1h = SignalNames.NicErrorsTotal + ".rate_1h";
    public const string CpuLoadMean1h = SignalNames.CpuLoad + ".mean_1h";

    /// <summary>Reallocated sectors added in the last hour, worst disk.</summary>
    public const string SmartReallocatedDelta1h = SignalNames.SmartReallocatedSectors + ".delta_1h";

    /// <summary>Reallocated sectors added in the last 6 hours, worst disk.</summary>
    public const string SmartReallocatedDelta6h = SignalNames.SmartReallocatedSectors + ".delta_6h";

    /// <summary>Reallocated sectors added in the last 24 hours, worst disk.</summary>
    public const string SmartReallocatedDelta24h = SignalNames.SmartReallocatedSectors + ".delta_24h";

    /// <summary>Acceleration: (sectors added in the last 6 h + 1) / (added 6 to 12 h ago + 1), worst disk.</summary>
    public const string SmartReallocatedGrowth6h = SignalNames.SmartReallocatedSectors + ".growth_6h";

    /// <summary>Hours of the last 24 in which the reallocated count rose, worst disk.</summary>
    public const string SmartReallocatedRisingHours24h = SignalNames.SmartReallocatedSectors + ".rising_hours_24h";

    /// <summary>Hours since a disk's reallocated count last changed (the most recent over disks; a count never seen to change gives the hours watched).</summary>
    public const string SmartReallocatedUnchangedHours = SignalNames.SmartReallocatedSectors + ".unchanged_h";

    /// <summary>Pending sectors added in the last 6 hours, worst disk.</summary>
    public const string SmartPendingDelta6h = SignalNames.SmartPendingSectors + ".delta_6h";

    /// <summary>Pending sectors added in the last 24 hours, worst disk.</summary>
    public const string SmartPendingDelta24h = SignalNames.SmartPendingSectors + ".delta_24h";

    /// <summary>Hours since a disk's pending count last changed (the most recent over disks).</summary>
    public const string SmartPendingUnchangedHours = SignalNames.SmartPendingSectors + ".unchanged_h";

    /// <summary>Reported-uncorrectable errors added in the last 24 hours, worst disk.</summary>
    public const string SmartReportedUncorrectableDelta24h = SignalNames.SmartReportedUncorrectable + ".delta_24h";

    /// <summary>Command timeouts added in the last 24 hours, worst disk.</summary>
    public const string SmartCommandTimeoutDelta24h = SignalNames.SmartCommandTimeout + ".delta_24h";

    /// <summary>Offline-uncorrectable sectors added in the last 24 hours, worst disk.</summary>
    public const string SmartOfflineUncorrectableDelta24h = SignalNames.SmartOfflineUncorrectable + ".delta_24h";

    /// <summary>Hours since any disk's SMART 5, 187, 188, 197 or 198 count last changed: static counts on a healthy disk sit still for as long as they are watched.</summary>
    public const string SmartErrorsUnchangedHours = "smart_errors.unchanged_h";

    /// <summary>Correctable memory errors per hour over the last 6 hours, all DIMMs.</summary>
    public const string MemoryCorrectableRate6h = SignalNames.MemoryCorrectableTotal + ".rate_6h";

    /// <summary>Acceleration: (errors in the last 6 h + 1) / (errors 6 to 12 h ago + 1), on the DIMM that counted most errors in the last day. A storm keeps rising; a burst is over.</summary>
    public const string MemoryCorrectableGrowth6h = SignalNames.MemoryCorrectableTotal + ".growth_6h";

    /// <summary>Hours of the last 24 in which the DIMM that counted most errors in the last day counted any: a storm counts every hour, a burst one or two.</summary>
    public const string MemoryCorrectableRisingHours24h = SignalNames.MemoryCorrectableTotal + ".rising_hours_24h";

    /// <summary>Share of the last hour's fine buckets in which the DIMM that counted most errors in the last day counted any.</summary>
    public const string MemoryCorrectableRisingShare1h = SignalNames.MemoryCorrectableTotal + ".rising_share_1h";

    /// <summary>Share of the last 6 hours' errors counted in the last hour, on the DIMM that counted most errors in the last day: a burst that began within the hour is all of them, a storm's earlier hours count too.</summary>
    public const string MemoryCorrectableShare1hOf6h = SignalNames.MemoryCorrectableTotal + ".share_1h_of_6h";

    /// <summary>Hours since the correctable count of the DIMM that counted most errors in the last day last changed.</summary>
    public const string MemoryCorrectableUnchangedHours = SignalNames.MemoryCorrectableTotal + ".unchanged_h";

    /// <summary>CPU temperature above the inlet air's: a hot aisle warms both, a failing fan only the CPU.</summary>
    public const string CpuTemperatureOverInlet = SignalNames.CpuTemperature + ".over_inlet";

    /// <summary>Least-squares slope of the CPU temperature's hourly means over the last 6 hours, per hour.</summary>
    public const string CpuTemperatureSlope6h = SignalNames.CpuTemperature + ".slope_6h";

    /// <summary>Slowest fan over fastest fan: all fans speed up and slow down together unless one fails.</summary>
    public const string FanSpeedMinShare = SignalNames.FanSpeed + ".min_share";

    /// <summary>Least-squares slope of the slowest fan's hourly means over the last 6 hours, per hour (the lowest over fans).</summary>
    public const string FanSpeedSlope6h = SignalNames.FanSpeed + ".slope_6h";

    /// <summary>Hours since the host's first sample, at most a week: how much of its history the windows have seen.</summary>
    public const string HostObservedHours = "host.observed_h";

    /// <summary>The cap of <see cref="HostObservedHours"/> and of the <c>unchanged_h</c> features, in hours.</summary>
    public const double MaxObservedHours = 168;

    /// <summary>Every feature above, in a fixed order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        SmartReallocatedMax, SmartReallocatedDelta3d, SmartReportedUncorrectableMax, SmartCommandTimeoutMax,
        SmartPendingMax, SmartPendingDelta3d, SmartOfflineUncorrectableMax, SmartTemperatureMax,
        MemoryCorrectableRate1h, MemoryCorrectableRate24h, MemoryUncorrectableDelta24h, MachineChecksDelta24h,
        CpuTemperatureLast, CpuTemperatureSlope24h, InletTemperatureLast, FanSpeedMin, FanSpeedSlope24h,
        PsuOkMin, NicErrorsRate1h, CpuLoadMean1h,
        SmartReallocatedDelta1h, SmartReallocatedDelta6h, SmartReallocatedDelta24h, SmartReallocatedGrowth6h,
        SmartReallocatedRisingHours24h, SmartReallocatedUnchangedHours, SmartPendingDelta6h, SmartPendingDelta24h,
        SmartPendingUnchangedHours, SmartReportedUncorrectableDelta24h, SmartCommandTimeoutDelta24h, SmartOfflineUncorrectableDelta24h, SmartErrorsUnchangedHours,
        MemoryCorrectableRate6h, MemoryCorrectableGrowth6h, MemoryCorrectableRisingHours24h, MemoryCorrectableRisingShare1h, MemoryCorrectableShare1hOf6h,
        MemoryCorrectableUnchangedHours, CpuTemperatureOverInlet, CpuTemperatureSlope6h, FanSpeedMinShare, FanSpeedSlope6h,
        HostObservedHours,
    ];
}
