using Predictor.Core.Alerts;

namespace Predictor.Notifications;

/// <summary>
/// The severity each condition is raised with unless the raiser knows better. Critical means a human must act now:
/// Predictor could not protect VMs by itself (evacuation failed or stuck past its deadline, a VM could not be placed,
/// the blast-radius guard stopped it, a model failed to load, the spool is full and telemetry will be lost).
/// Warning means Predictor is handling it and people should know (a host predicted to fail while its evacuation
/// runs, telemetry stale for a share of hosts, a VM interrupted during maintenance).
/// </summary>
public static class ConditionSeverity
{
    /// <summary>The default severity of <paramref name="condition"/>; <see cref="AlertSeverity.Warning"/> for conditions not listed.</summary>
    public static AlertSeverity Default(string condition) => condition switch
    {
        AlertConditions.EvacuationFailed
            or AlertConditions.EvacuationStuck
            or AlertConditions.VmUnplaced
            or AlertConditions.BlastRadiusGuardTripped
            or AlertConditions.ModelLoadFailed
            or AlertConditions.SpoolFull => AlertSeverity.Critical,
        _ => AlertSeverity.Warning,
    };
}
