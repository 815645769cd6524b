namespace Predictor.Core.Telemetry;

/// <summary>
/// Predictor's signal names. Sources map their measurements and fields to these (see the signal
/// mapping in README); assessors and models read features built from them.
/// Counters (cumulative totals) end in <c>_total</c>; SMART names keep the attribute id.
/// </summary>
public static class SignalNames
{
    /// <summary>SMART 5, reallocated sectors count (per disk).</summary>
    public const string SmartReallocatedSectors = "smart_5_raw";

    /// <summary>SMART 187, reported uncorrectable errors (per disk).</summary>
    public const string SmartReportedUncorrectable = "smart_187_raw";

    /// <summary>SMART 188, command timeouts (per disk).</summary>
    public const string SmartCommandTimeout = "smart_188_raw";

    /// <summary>SMART 194, drive temperature in °C (per disk).</summary>
    public const string SmartTemperature = "smart_194_raw";

    /// <summary>SMART 197, current pending sectors (per disk).</summary>
    public const string SmartPendingSectors = "smart_197_raw";

    /// <summary>SMART 198, offline uncorrectable sectors (per disk).</summary>
    public const string SmartOfflineUncorrectable = "smart_198_raw";

    /// <summary>SMART 9, power-on hours (per disk).</summary>
    public const string SmartPowerOnHours = "smart_9_raw";

    /// <summary>Correctable memory (ECC/EDAC) errors, cumulative (per DIMM or host).</summary>
    public const string MemoryCorrectableTotal = "mem_ce_total";

    /// <summary>Uncorrectable memory errors, cumulative.</summary>
    public const string MemoryUncorrectableTotal = "mem_ue_total";

    /// <summary>Machine-check exceptions logged, cumulative.</summary>
    public const string MachineChecksTotal = "mce_total";

    /// <summary>CPU package temperature, °C.</summary>
    public const string CpuTemperature = "cpu_temp_c";

    /// <summary>Inlet (intake air) temperature, °C.</summary>
    public const string InletTemperature = "inlet_temp_c";

    /// <summary>Fan speed, RPM (per fan).</summary>
    public const string FanSpeed = "fan_rpm";

    /// <summary>PSU status: 1 healthy, 0 failed (per PSU).</summary>
    public const string PsuOk = "psu_ok";

    /// <summary>NIC receive/transmit errors, cumulative (per NIC).</summary>
    public const string NicErrorsTotal = "nic_errors_total";

    /// <summary>CPU utilisation, 0..1.</summary>
    public const string CpuLoad = "cpu_load";

    /// <summary>Every signal above, in a fixed order (the streaming detectors' features are named after them).</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        SmartReallocatedSectors, SmartReportedUncorrectable, SmartCommandTimeout, SmartTemperature, SmartPendingSectors,
        SmartOfflineUncorrectable, SmartPowerOnHours, MemoryCorrectableTotal, MemoryUncorrectableTotal, MachineChecksTotal,
        CpuTemperature, InletTemperature, FanSpeed, PsuOk, NicErrorsTotal, CpuLoad,
    ];

    /// <summary>The SMART attributes whose raw value above zero the rule-based baseline treats as a warning.</summary>
    public static IReadOnlyList<string> SmartWarningAttributes { get; } =
        [SmartReallocatedSectors, SmartReportedUncorrectable, SmartCommandTimeout, SmartPendingSectors, SmartOfflineUncorrectable];
}
