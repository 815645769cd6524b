using Microsoft.Extensions.Logging;

namespace Predictor.Daemon;

internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.HostAtRisk, EventName = nameof(EventIds.HostAtRisk), Level = LogLevel.Warning, Message = "Host {Host} is at risk (p={Probability:0.00} within {Horizon}, by {Assessor}): {Evidence}. Quarantined; evacuating its {VmCount} VMs")]
    public static partial void HostAtRisk(ILogger logger, string host, double probability, TimeSpan horizon, string assessor, string evidence, int vmCount);

    [LoggerMessage(EventId = EventIds.PassCompleted, EventName = nameof(EventIds.PassCompleted), Level = LogLevel.Information, Message = "Pass at {Now:u}: {Fresh} hosts assessed, {Stale} stale, {AtRisk} at risk, {Scheduled} steps scheduled")]
    public static partial void PassCompleted(ILogger logger, DateTimeOffset now, int fresh, int stale, int atRisk, int scheduled);

    [LoggerMessage(EventId = EventIds.PassFailed, EventName = nameof(EventIds.PassFailed), Level = LogLevel.Error, Message = "Pipeline pass at {Now:u} failed; the next pass will retry")]
    public static partial void PassFailed(ILogger logger, DateTimeOffset now, Exception exception);

    [LoggerMessage(EventId = EventIds.VmUnplaced, EventName = nameof(EventIds.VmUnplaced), Level = LogLevel.Error, Message = "VM {Vm} could not be placed: {Reason}")]
    public static partial void VmUnplaced(ILogger logger, string vm, string reason);

    [LoggerMessage(EventId = EventIds.HostStale, EventName = nameof(EventIds.HostStale), Level = LogLevel.Warning, Message = "Host {Host} telemetry is stale (last seen {LastSeen}); it is not assessed until fresh data arrives")]
    public static partial void HostStale(ILogger logger, string host, string lastSeen);

    [LoggerMessage(EventId = EventIds.LadderDecision, EventName = nameof(EventIds.LadderDecision), Level = LogLevel.Information, Message = "Update {UpdateId} on host {Host}: {Action} (rung chosen by the maintenance ladder)")]
    public static partial void LadderDecision(ILogger logger, string updateId, string host, string action);

    [LoggerMessage(EventId = EventIds.StepsRecovered, EventName = nameof(EventIds.StepsRecovered), Level = LogLevel.Information, Message = "Recovered {Count} in-flight steps from the journal")]
    public static partial void Recovered(ILogger logger, int count);

    [LoggerMessage(EventId = EventIds.PlanRejected, EventName = nameof(EventIds.PlanRejected), Level = LogLevel.Critical, Message = "Plan rejected by the validator, nothing executed ({Count} violations): {Violations}")]
    public static partial void PlanRejected(ILogger logger, int count, string violations);

    [LoggerMessage(EventId = EventIds.ModelLoaded, EventName = nameof(EventIds.ModelLoaded), Level = LogLevel.Information, Message = "Risk model '{Path}' loaded ({Name})")]
    public static partial void ModelLoaded(ILogger logger, string path, string name);

    [LoggerMessage(EventId = EventIds.ModelLoadFailed, EventName = nameof(EventIds.ModelLoadFailed), Level = LogLevel.Error, Message = "Risk model '{Path}' could not be loaded, falling back to the rule-based assessor: {Error}")]
    public static partial void ModelLoadFailed(ILogger logger, string path, string error);

    [LoggerMessage(EventId = EventIds.RolloutHalted, EventName = nameof(EventIds.RolloutHalted), Level = LogLevel.Critical, Message = "The update of host {Host} failed {Attempts} times (last: {Message}); the rollout is stopped until an operator clears it")]
    public static partial void RolloutHalted(ILogger logger, string host, int attempts, string message);

    [LoggerMessage(EventId = EventIds.OutcomeDropped, EventName = nameof(EventIds.OutcomeDropped), Level = LogLevel.Error, Message = "The outcome queue was full; dropped the oldest outcome (step {StepId}), {Dropped} so far: its host's update is offered again")]
    public static partial void OutcomeDropped(ILogger logger, string stepId, long dropped);

    [LoggerMessage(EventId = EventIds.RolloutResumed, EventName = nameof(EventIds.RolloutResumed), Level = LogLevel.Warning, Message = "Rollout resumed by an operator; cleared failed hosts: {Hosts}")]
    public static partial void RolloutResumed(ILogger logger, string hosts);

    [LoggerMessage(EventId = EventIds.HostReleased, EventName = nameof(EventIds.HostReleased), Level = LogLevel.Warning, Message = "Host {Host} released from quarantine by an operator ({Reason}); it was flagged at p={Probability:0.00} by {Assessor}; it takes VMs again and is not flagged again before {Until:u} unless its odds of failure rise tenfold")]
    public static partial void HostReleased(ILogger logger, string host, string reason, double probability, string assessor, DateTimeOffset until);

    [LoggerMessage(EventId = EventIds.ReleasedHostHeld, EventName = nameof(EventIds.ReleasedHostHeld), Level = LogLevel.Information, Message = "Host {Host} is at p={Probability:0.000}, not tenfold the odds of the p={Released:0.000} it was released at ({Reason}); not quarantined again before {Until:u}")]
    public static partial void ReleasedHostHeld(ILogger logger, string host, double probability, double released, string reason, DateTimeOffset until);

    [LoggerMessage(EventId = EventIds.SelfServiceDue, EventName = nameof(EventIds.SelfServiceDue), Level = LogLevel.Information, Message = "Self-service update of host {Host} is due: {Why} ({Events} owner events); it is planned now")]
    public static partial void SelfServiceDue(ILogger logger, string host, string why, int events);

    [LoggerMessage(EventId = EventIds.RecoveryRetrying, EventName = nameof(EventIds.RecoveryRetrying), Level = LogLevel.Error, Message = "Journal recovery at start failed (attempt {Attempt}): {Error}; retrying in {Delay}")]
    public static partial void RecoveryRetrying(ILogger logger, int attempt, TimeSpan delay, string error);

    [LoggerMessage(EventId = EventIds.StartupGaveUp, EventName = nameof(EventIds.StartupGaveUp), Level = LogLevel.Critical, Message = "The daemon stops: {Reason}; it exits non-zero so that its supervisor restarts it")]
    public static partial void StartupGaveUp(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = EventIds.TakingOver, EventName = nameof(EventIds.TakingOver), Level = LogLevel.Warning, Message = "{Node} takes over as the leader (fencing token {Token}): reading the shared state, reconciling the journal's steps left Started with the hypervisor")]
    public static partial void TakingOver(ILogger logger, string node, long token);

    [LoggerMessage(EventId = EventIds.TookOver, EventName = nameof(EventIds.TookOver), Level = LogLevel.Warning, Message = "{Node} took over as the leader (fencing token {Token}) in {Seconds:0.000} s; its first pass starts now")]
    public static partial void TookOver(ILogger logger, string node, long token, double seconds);

    [LoggerMessage(EventId = EventIds.RepairRecorded, EventName = nameof(EventIds.RepairRecorded), Level = LogLevel.Warning, Message = "Repair of quarantined host {Host} recorded by {By}: {Reason}; it is released after {Needed} clean assessments in a row")]
    public static partial void RepairRecorded(ILogger logger, string host, string reason, string by, int needed);

    [LoggerMessage(EventId = EventIds.ReleasedAfterRepair, EventName = nameof(EventIds.ReleasedAfterRepair), Level = LogLevel.Warning, Message = "Host {Host} released from quarantine after its repair ({Reason}) and {Clean} clean assessments (last p={Probability:0.000})")]
    public static partial void ReleasedAfterRepair(ILogger logger, string host, int clean, double probability, string reason);

    [LoggerMessage(EventId = EventIds.RepairCountReset, EventName = nameof(EventIds.RepairCountReset), Level = LogLevel.Warning, Message = "Repaired host {Host} assessed at p={Probability:0.000}, not below {Threshold:0.000}: its {Clean} clean assessments since the repair no longer count")]
    public static partial void RepairCountReset(ILogger logger, string host, double probability, double threshold, int clean);

    [LoggerMessage(EventId = EventIds.HostDecommissioned, EventName = nameof(EventIds.HostDecommissioned), Level = LogLevel.Warning, Message = "Host {Host} decommissioned by {By}: {Reason}; it leaves the quarantine, takes no VM again and what it holds is evacuated")]
    public static partial void HostDecommissioned(ILogger logger, string host, string reason, string by);
}
