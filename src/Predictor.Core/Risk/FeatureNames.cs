using Predictor.Core.Telemetry;

namespace Predictor.Core.Risk;

/// <summary>The host features that assessors and shipped models use. Order is the models' feature order.</summary>
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

    /// <summary>Every feature above, in a fixed order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        SmartReallocatedMax, SmartReallocatedDelta3d, SmartReportedUncorrectableMax, SmartCommandTimeoutMax,
        SmartPendingMax, SmartPendingDelta3d, SmartOfflineUncorrectableMax, SmartTemperatureMax,
        MemoryCorrectableRate1h, MemoryCorrectableRate24h, MemoryUncorrectableDelta24h, MachineChecksDelta24h,
        CpuTemperatureLast, CpuTemperatureSlope24h, InletTemperatureLast, FanSpeedMin, FanSpeedSlope24h,
        PsuOkMin, NicErrorsRate1h, CpuLoadMean1h,
    ];
}
