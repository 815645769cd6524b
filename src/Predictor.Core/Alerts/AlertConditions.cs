namespace Predictor.Core.Alerts;

/// <summary>
/// The conditions Predictor raises, each a stable alert name for routing, and the one table of their severities that
/// every raise site uses (<see cref="Alert.Raise"/>). Critical means a human must act now: Predictor could not protect
/// VMs by itself (an evacuation failed or is stuck, a VM could not be placed, a plan was rejected, the rollout or the
/// blast-radius guard stopped, a model failed to load, the spool is full and telemetry will be lost). Warning means
/// Predictor is handling it and people should know (a host predicted to fail while its evacuation runs, a maintenance
/// step failed and will be planned again, VMs interrupted by a host failure and restarted elsewhere, stale telemetry).
/// </summary>
public static class AlertConditions
{
    public const string HostPredictedToFail = "HostPredictedToFail";
    public const string EvacuationFailed = "EvacuationFailed";
    public const string EvacuationStuck = "EvacuationStuck";
    public const string MaintenanceStepFailed = "MaintenanceStepFailed";
    public const string PlanRejected = "PlanRejected";
    public const string RolloutHalted = "RolloutHalted";
    public const string VmUnplaced = "VmUnplaced";
    public const string VmInterrupted = "VmInterrupted";
    public const string BlastRadiusGuardTripped = "BlastRadiusGuardTripped";
    public const string TelemetryStale = "TelemetryStale";
    public const string ModelLoadFailed = "ModelLoadFailed";
    public const string SpoolFull = "SpoolFull";

    /// <summary>InfluxDB refused forwarded lines after the push had been acknowledged; they are kept in the spool's dead-letter file.</summary>
    public const string TelemetryDeadLettered = "TelemetryDeadLettered";

    /// <summary>At start the daemon could not reconcile its journal with the hypervisor; it retries, and exits non-zero when it gives up.</summary>
    public const string StartupFailed = "StartupFailed";

    /// <summary>The severity <paramref name="condition"/> is raised with; <see cref="AlertSeverity.Warning"/> for conditions not listed.</summary>
    public static AlertSeverity SeverityOf(string condition) => condition switch
    {
        EvacuationFailed
            or EvacuationStuck
            or PlanRejected
            or RolloutHalted
            or VmUnplaced
            or BlastRadiusGuardTripped
            or ModelLoadFailed
            or SpoolFull
            or StartupFailed => AlertSeverity.Critical,
        _ => AlertSeverity.Warning,
    };
}
