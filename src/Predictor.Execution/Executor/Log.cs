using Microsoft.Extensions.Logging;

namespace Predictor.Execution.Executor;

internal static partial class Log
{
    [LoggerMessage(2001, LogLevel.Information, "Migrating VM {Vm} ({Kind}) from {From} to {To}: {Reason}")]
    public static partial void MigrationStarting(ILogger logger, string vm, string kind, string from, string to, string reason);

    [LoggerMessage(2002, LogLevel.Information, "VM {Vm} now runs on {To}: took {DurationS:0.0} s, blackout {BlackoutMs:0} ms")]
    public static partial void MigrationCompleted(ILogger logger, string vm, string to, double durationS, double blackoutMs);

    [LoggerMessage(2003, LogLevel.Error, "Step {StepId} on {Target} failed: {Message}")]
    public static partial void StepFailed(ILogger logger, string stepId, string target, string message);

    [LoggerMessage(2004, LogLevel.Information, "Memory-preserving update of host {Host}: {VmCount} VMs paused for {PauseMs:0} ms and resumed")]
    public static partial void MemoryPreservingCompleted(ILogger logger, string host, int vmCount, double pauseMs);

    [LoggerMessage(2005, LogLevel.Information, "Hot patch applied to host {Host}; its VMs were not touched")]
    public static partial void HotPatchApplied(ILogger logger, string host);

    [LoggerMessage(2006, LogLevel.Warning, "Recovered step {StepId} for {Target} after a restart: {Resolution}")]
    public static partial void StepRecovered(ILogger logger, string stepId, string target, string resolution);

    [LoggerMessage(2007, LogLevel.Information, "Dry run: would {Action} {Target} ({From} → {To})")]
    public static partial void DryRun(ILogger logger, string action, string target, string from, string to);

    [LoggerMessage(2009, LogLevel.Information, "Update {Update} applied to host {Host} after its {VmCount} VMs left")]
    public static partial void EmptyHostUpdated(ILogger logger, string host, string update, int vmCount);

    [LoggerMessage(2008, LogLevel.Warning, "Executor is paused: {Count} steps of plan {PlanId} not started")]
    public static partial void PausedSkipped(ILogger logger, int count, string planId);

    [LoggerMessage(2010, LogLevel.Warning, "Step {StepId} failed (attempt {Attempt}), retrying in {Delay}: {Message}")]
    public static partial void StepRetrying(ILogger logger, string stepId, int attempt, TimeSpan delay, string message);

    [LoggerMessage(2011, LogLevel.Error, "Circuit breaker of host {Host} opened after {Failures} failed steps in a row ({Message}); no step touches it for {Break}")]
    public static partial void CircuitOpened(ILogger logger, string host, int failures, TimeSpan @break, string message);

    [LoggerMessage(2012, LogLevel.Information, "Circuit breaker of host {Host} closed: a step on it succeeded again")]
    public static partial void CircuitClosed(ILogger logger, string host);

    [LoggerMessage(2013, LogLevel.Warning, "Executor is paused: step {StepId} for {Target} was not started")]
    public static partial void PausedDropped(ILogger logger, string stepId, string target);

    [LoggerMessage(2014, LogLevel.Warning, "Aborting {Count} scheduled or running steps: {Reason}")]
    public static partial void Aborting(ILogger logger, int count, string reason);

    [LoggerMessage(2015, LogLevel.Error, "Step for {Target} ended with an unexpected error")]
    public static partial void StepCrashed(ILogger logger, string target, Exception exception);
}
