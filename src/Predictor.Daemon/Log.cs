using Microsoft.Extensions.Logging;

namespace Predictor.Daemon;

internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Warning, "Host {Host} is at risk (p={Probability:0.00} within {Horizon}, by {Assessor}): {Evidence}. Quarantined; evacuating its {VmCount} VMs")]
    public static partial void HostAtRisk(ILogger logger, string host, double probability, TimeSpan horizon, string assessor, string evidence, int vmCount);

    [LoggerMessage(1002, LogLevel.Information, "Pass at {Now:u}: {Fresh} hosts assessed, {Stale} stale, {AtRisk} at risk, {Scheduled} steps scheduled")]
    public static partial void PassCompleted(ILogger logger, DateTimeOffset now, int fresh, int stale, int atRisk, int scheduled);

    [LoggerMessage(1003, LogLevel.Error, "Pipeline pass at {Now:u} failed; the next pass will retry")]
    public static partial void PassFailed(ILogger logger, DateTimeOffset now, Exception exception);

    [LoggerMessage(1004, LogLevel.Error, "VM {Vm} could not be placed: {Reason}")]
    public static partial void VmUnplaced(ILogger logger, string vm, string reason);

    [LoggerMessage(1007, LogLevel.Warning, "Host {Host} telemetry is stale (last seen {LastSeen}); it is not assessed until fresh data arrives")]
    public static partial void HostStale(ILogger logger, string host, string lastSeen);

    [LoggerMessage(1008, LogLevel.Information, "Update {UpdateId} on host {Host}: {Action} (rung chosen by the maintenance ladder)")]
    public static partial void LadderDecision(ILogger logger, string updateId, string host, string action);

    [LoggerMessage(1009, LogLevel.Information, "Recovered {Count} in-flight steps from the journal")]
    public static partial void Recovered(ILogger logger, int count);

    [LoggerMessage(1014, LogLevel.Critical, "Plan rejected by the validator, nothing executed ({Count} violations): {Violations}")]
    public static partial void PlanRejected(ILogger logger, int count, string violations);

    [LoggerMessage(1015, LogLevel.Information, "Risk model '{Path}' loaded ({Name})")]
    public static partial void ModelLoaded(ILogger logger, string path, string name);

    [LoggerMessage(1016, LogLevel.Error, "Risk model '{Path}' could not be loaded, falling back to the rule-based assessor: {Error}")]
    public static partial void ModelLoadFailed(ILogger logger, string path, string error);

    [LoggerMessage(1017, LogLevel.Critical, "The update of host {Host} failed {Attempts} times (last: {Message}); the rollout is stopped until an operator clears it")]
    public static partial void RolloutHalted(ILogger logger, string host, int attempts, string message);

    [LoggerMessage(1019, LogLevel.Error, "The outcome queue was full; dropped the oldest outcome (step {StepId}), {Dropped} so far: its host's update is offered again")]
    public static partial void OutcomeDropped(ILogger logger, string stepId, long dropped);

    [LoggerMessage(1018, LogLevel.Warning, "Rollout resumed by an operator; cleared failed hosts: {Hosts}")]
    public static partial void RolloutResumed(ILogger logger, string hosts);
}
