using Microsoft.Extensions.Logging;

namespace Predictor.Execution.Hypervisors.Libvirt;

internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.LibvirtMigrationStarted, EventName = nameof(EventIds.LibvirtMigrationStarted), Level = LogLevel.Information, Message = "Live migration of VM {Vm} from {From} to {To} started (downtime limit {DowntimeLimitMs} ms): virsh {Arguments}")]
    public static partial void MigrationStarted(ILogger logger, string vm, string from, string to, long downtimeLimitMs, string arguments);

    [LoggerMessage(EventId = EventIds.LibvirtMigrationCompleted, EventName = nameof(EventIds.LibvirtMigrationCompleted), Level = LogLevel.Information, Message = "Live migration of VM {Vm} from {From} to {To} completed in {DurationMs} ms, downtime {DowntimeMs} ms (limit {DowntimeLimitMs} ms)")]
    public static partial void MigrationCompleted(ILogger logger, string vm, string from, string to, long durationMs, long downtimeMs, long downtimeLimitMs);

    [LoggerMessage(EventId = EventIds.LibvirtMigrationFailed, EventName = nameof(EventIds.LibvirtMigrationFailed), Level = LogLevel.Error, Message = "Live migration of VM {Vm} from {From} to {To} failed: {Reason}; VM state: {VmState}")]
    public static partial void MigrationFailed(ILogger logger, string vm, string from, string to, string reason, string vmState);

    [LoggerMessage(EventId = EventIds.LibvirtVmPaused, EventName = nameof(EventIds.LibvirtVmPaused), Level = LogLevel.Information, Message = "Paused VM {Vm} on {Host}")]
    public static partial void VmPaused(ILogger logger, string vm, string host);

    [LoggerMessage(EventId = EventIds.LibvirtVmResumed, EventName = nameof(EventIds.LibvirtVmResumed), Level = LogLevel.Information, Message = "Resumed VM {Vm} on {Host} after a pause of {PauseMs} ms")]
    public static partial void VmResumed(ILogger logger, string vm, string host, long pauseMs);

    [LoggerMessage(EventId = EventIds.LibvirtVmResumedUnmeasured, EventName = nameof(EventIds.LibvirtVmResumedUnmeasured), Level = LogLevel.Information, Message = "Resumed VM {Vm} on {Host}; the pause began before this process knew of it, so its length is unknown")]
    public static partial void VmResumedUnmeasured(ILogger logger, string vm, string host);
}
