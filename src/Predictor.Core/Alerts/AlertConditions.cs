namespace Predictor.Core.Alerts;

/// <summary>The conditions Predictor raises; each is a stable alert name for routing.</summary>
public static class AlertConditions
{
    public const string HostPredictedToFail = "HostPredictedToFail";
    public const string EvacuationFailed = "EvacuationFailed";
    public const string EvacuationStuck = "EvacuationStuck";
    public const string VmUnplaced = "VmUnplaced";
    public const string VmInterrupted = "VmInterrupted";
    public const string BlastRadiusGuardTripped = "BlastRadiusGuardTripped";
    public const string TelemetryStale = "TelemetryStale";
    public const string ModelLoadFailed = "ModelLoadFailed";
    public const string SpoolFull = "SpoolFull";
}
