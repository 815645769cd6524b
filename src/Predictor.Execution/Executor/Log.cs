using Microsoft.Extensions.Logging;

namespace Predictor.Execution.Executor;

internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.MigrationStarting, EventName = nameof(EventIds.MigrationStarting), Level = LogLevel.Information, Message = "Migrating VM {Vm} ({Kind}) from {From} to {To}: {Reason}")]
    public static partial void MigrationStarting(ILogger logger, string vm, string kind, string from, string to, string reason);

    [LoggerMessage(EventId = EventIds.MigrationCompleted, EventName = nameof(EventIds.MigrationCompleted), Level = LogLevel.Information, Message = "VM {Vm} now runs on {To}: took {DurationS:0.0} s, blackout {BlackoutMs:0} ms")]
    public static partial void MigrationCompleted(ILogger logger, string vm, string to, double durationS, double blackoutMs);

    [LoggerMessage(EventId = EventIds.StepFailed, EventName = nameof(EventIds.StepFailed), Level = LogLevel.Error, Message = "Step {StepId} on {Target} failed: {Message}")]
    public static partial void StepFailed(ILogger logger, string stepId, string target, string message);

    [LoggerMessage(EventId = EventIds.MemoryPreservingCompleted, EventName = nameof(EventIds.MemoryPreservingCompleted), Level = LogLevel.Information, Message = "Memory-preserving update of host {Host}: {VmCount} VMs paused for {PauseMs:0} ms and resumed")]
    public static partial void MemoryPreservingCompleted(ILogger logger, string host, int vmCount, double pauseMs);

    [LoggerMessage(EventId = EventIds.SelfServiceCompleted, EventName = nameof(EventIds.SelfServiceCompleted), Level = LogLevel.Information, Message = "Self-service update of host {Host} at its owners' moment: {VmCount} VMs held for {PauseMs:0} ms through the restart")]
    public static partial void SelfServiceCompleted(ILogger logger, string host, int vmCount, double pauseMs);

    [LoggerMessage(EventId = EventIds.HotRestartCompleted, EventName = nameof(EventIds.HotRestartCompleted), Level = LogLevel.Information, Message = "Hypervisor hot restart of host {Host}: {VmCount} VMs moved to new processes, blackout median {MedianMs:0.#} ms, max {MaxMs:0.#} ms")]
    public static partial void HotRestartCompleted(ILogger logger, string host, int vmCount, double medianMs, double maxMs);

    [LoggerMessage(EventId = EventIds.HotRestartFellBack, EventName = nameof(EventIds.HotRestartFellBack), Level = LogLevel.Warning, Message = "Host {Host} cannot be hot-restarted ({Reason}); its update falls down the ladder to {Action}")]
    public static partial void HotRestartFellBack(ILogger logger, string host, string reason, string action);

    [LoggerMessage(EventId = EventIds.HotPatchApplied, EventName = nameof(EventIds.HotPatchApplied), Level = LogLevel.Information, Message = "Hot patch applied to host {Host}; its VMs were not touched")]
    public static partial void HotPatchApplied(ILogger logger, string host);

    [LoggerMessage(EventId = EventIds.StepRecovered, EventName = nameof(EventIds.StepRecovered), Level = LogLevel.Warning, Message = "Recovered step {StepId} for {Target} after a restart: {Resolution}")]
    public static partial void StepRecovered(ILogger logger, string stepId, string target, string resolution);

    [LoggerMessage(EventId = EventIds.DryRun, EventName = nameof(EventIds.DryRun), Level = LogLevel.Information, Message = "Dry run: would {Action} {Target} ({From} → {To})")]
    public static partial void DryRun(ILogger logger, string action, string target, string from, string to);

    [LoggerMessage(EventId = EventIds.EmptyHostUpdated, EventName = nameof(EventIds.EmptyHostUpdated), Level = LogLevel.Information, Message = "Update {Update} applied to host {Host} after its {VmCount} VMs left")]
    public static partial void EmptyHostUpdated(ILogger logger, string host, string update, int vmCount);

    [LoggerMessage(EventId = EventIds.PausedSkipped, EventName = nameof(EventIds.PausedSkipped), Level = LogLevel.Warning, Message = "Executor is paused: {Count} steps of plan {PlanId} not started")]
    public static partial void PausedSkipped(ILogger logger, int count, string planId);

    [LoggerMessage(EventId = EventIds.StepRetrying, EventName = nameof(EventIds.StepRetrying), Level = LogLevel.Warning, Message = "Step {StepId} failed (attempt {Attempt}), retrying in {Delay}: {Message}")]
    public static partial void StepRetrying(ILogger logger, string stepId, int attempt, TimeSpan delay, string message);

    [LoggerMessage(EventId = EventIds.CircuitOpened, EventName = nameof(EventIds.CircuitOpened), Level = LogLevel.Error, Message = "Circuit breaker of host {Host} opened after {Failures} failed steps in a row ({Message}); no step touches it for {Break}")]
    public static partial void CircuitOpened(ILogger logger, string host, int failures, TimeSpan @break, string message);

    [LoggerMessage(EventId = EventIds.CircuitClosed, EventName = nameof(EventIds.CircuitClosed), Level = LogLevel.Information, Message = "Circuit breaker of host {Host} closed: a step on it succeeded again")]
    public static partial void CircuitClosed(ILogger logger, string host);

    [LoggerMessage(EventId = EventIds.PausedDropped, EventName = nameof(EventIds.PausedDropped), Level = LogLevel.Warning, Message = "Executor is paused: step {StepId} for {Target} was not started")]
    public static partial void PausedDropped(ILogger logger, string stepId, string target);

    [LoggerMessage(EventId = EventIds.Aborting, EventName = nameof(EventIds.Aborting), Level = LogLevel.Warning, Message = "Aborting {Count} scheduled or running steps: {Reason}")]
    public static partial void Aborting(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = EventIds.StepCrashed, EventName = nameof(EventIds.StepCrashed), Level = LogLevel.Error, Message = "Step for {Target} ended with an unexpected error")]
    public static partial void StepCrashed(ILogger logger, string target, Exception exception);

    [LoggerMessage(EventId = EventIds.StepFenced, EventName = nameof(EventIds.StepFenced), Level = LogLevel.Warning, Message = "The step of {Target} ended: the shared journal refused its entry because this daemon is no longer the leader ({Reason}); the new leader reconciles it")]
    public static partial void StepFenced(ILogger logger, string target, string reason);
}
