using Microsoft.Extensions.Logging;

namespace Predictor.Execution.Hypervisors.Qmp;

internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.QmpConnected, EventName = nameof(EventIds.QmpConnected), Level = LogLevel.Debug, Message = "QMP connected to {SocketPath} (QEMU {Version})")]
    public static partial void QmpConnected(ILogger logger, string socketPath, string version);

    [LoggerMessage(EventId = EventIds.QmpCommandSent, EventName = nameof(EventIds.QmpCommandSent), Level = LogLevel.Trace, Message = "QMP {SocketPath}: sent '{Command}' as {Id}")]
    public static partial void QmpCommandSent(ILogger logger, string socketPath, string command, string id);

    [LoggerMessage(EventId = EventIds.QmpEventReceived, EventName = nameof(EventIds.QmpEventReceived), Level = LogLevel.Debug, Message = "QMP {SocketPath}: event {Event} {MigrationStatus}")]
    public static partial void QmpEventReceived(ILogger logger, string socketPath, string @event, string migrationStatus);

    [LoggerMessage(EventId = EventIds.QmpUnmatchedMessage, EventName = nameof(EventIds.QmpUnmatchedMessage), Level = LogLevel.Warning, Message = "QMP {SocketPath}: ignored a message that answers nothing pending: {Message}")]
    public static partial void QmpUnmatchedMessage(ILogger logger, string socketPath, string message);

    [LoggerMessage(EventId = EventIds.QmpClosedWithPending, EventName = nameof(EventIds.QmpClosedWithPending), Level = LogLevel.Warning, Message = "QMP connection to {SocketPath} closed ({Reason}) with commands pending: {Commands}")]
    public static partial void QmpClosedWithPending(ILogger logger, string socketPath, string reason, string commands);

    [LoggerMessage(EventId = EventIds.QemuMigrationStarted, EventName = nameof(EventIds.QemuMigrationStarted), Level = LogLevel.Information, Message = "Live migration of VM {Vm} from {From} to {To} started (downtime limit {DowntimeLimitMs} ms, bandwidth {BandwidthBytesPerSecond} B/s, auto-converge {AutoConverge})")]
    public static partial void MigrationStarted(ILogger logger, string vm, string from, string to, long downtimeLimitMs, long bandwidthBytesPerSecond, bool autoConverge);

    [LoggerMessage(EventId = EventIds.QemuMigrationCompleted, EventName = nameof(EventIds.QemuMigrationCompleted), Level = LogLevel.Information, Message = "Live migration of VM {Vm} from {From} to {To} completed in {DurationMs} ms, downtime {DowntimeMs} ms (limit {DowntimeLimitMs} ms), {TransferredBytes} bytes sent")]
    public static partial void MigrationCompleted(ILogger logger, string vm, string from, string to, long durationMs, long downtimeMs, long downtimeLimitMs, long transferredBytes);

    [LoggerMessage(EventId = EventIds.QemuMigrationFailed, EventName = nameof(EventIds.QemuMigrationFailed), Level = LogLevel.Error, Message = "Live migration of VM {Vm} from {From} to {To} failed: {Reason}; VM state: {VmState}")]
    public static partial void MigrationFailed(ILogger logger, string vm, string from, string to, string reason, string vmState);

    [LoggerMessage(EventId = EventIds.QemuDowntimeOverLimit, EventName = nameof(EventIds.QemuDowntimeOverLimit), Level = LogLevel.Warning, Message = "Downtime of VM {Vm}'s migration to {To} was {DowntimeMs} ms, over the {DowntimeLimitMs} ms limit")]
    public static partial void DowntimeOverLimit(ILogger logger, string vm, string to, long downtimeMs, long downtimeLimitMs);

    [LoggerMessage(EventId = EventIds.QemuSourceRetired, EventName = nameof(EventIds.QemuSourceRetired), Level = LogLevel.Information, Message = "Retired the source instance of VM {Vm} on {Host}")]
    public static partial void SourceRetired(ILogger logger, string vm, string host);

    [LoggerMessage(EventId = EventIds.QemuMigrationAlreadyDone, EventName = nameof(EventIds.QemuMigrationAlreadyDone), Level = LogLevel.Information, Message = "VM {Vm} already runs on {To} and its source on {From} is {SourceState}: an earlier attempt finished the migration (its downtime was reported then)")]
    public static partial void MigrationAlreadyDone(ILogger logger, string vm, string from, string to, string sourceState);

    [LoggerMessage(EventId = EventIds.QemuMigrationCancelling, EventName = nameof(EventIds.QemuMigrationCancelling), Level = LogLevel.Warning, Message = "Cancelling the migration of VM {Vm} from {From}: {Reason}")]
    public static partial void MigrationCancelling(ILogger logger, string vm, string from, string reason);

    [LoggerMessage(EventId = EventIds.QemuMigrationAdopted, EventName = nameof(EventIds.QemuMigrationAdopted), Level = LogLevel.Warning, Message = "A migration of VM {Vm} from {From} to {To} was already running (started before); following it instead of starting another")]
    public static partial void MigrationAdopted(ILogger logger, string vm, string from, string to);

    [LoggerMessage(EventId = EventIds.QemuVmPaused, EventName = nameof(EventIds.QemuVmPaused), Level = LogLevel.Information, Message = "Paused VM {Vm} on {Host}")]
    public static partial void VmPaused(ILogger logger, string vm, string host);

    [LoggerMessage(EventId = EventIds.QemuVmResumed, EventName = nameof(EventIds.QemuVmResumed), Level = LogLevel.Information, Message = "Resumed VM {Vm} on {Host} after a pause of {PauseMs} ms")]
    public static partial void VmResumed(ILogger logger, string vm, string host, long pauseMs);

    [LoggerMessage(EventId = EventIds.QemuVmResumedUnmeasured, EventName = nameof(EventIds.QemuVmResumedUnmeasured), Level = LogLevel.Information, Message = "Resumed VM {Vm} on {Host}; the pause began before this process knew of it, so its length is unknown")]
    public static partial void VmResumedUnmeasured(ILogger logger, string vm, string host);

    [LoggerMessage(EventId = EventIds.QemuHotRestartStarting, EventName = nameof(EventIds.QemuHotRestartStarting), Level = LogLevel.Information, Message = "Hot restart of VM {Vm} on {Host}: started replacement QEMU process {NewPid} next to process {OldPid}")]
    public static partial void HotRestartStarting(ILogger logger, string vm, string host, int newPid, int oldPid);

    [LoggerMessage(EventId = EventIds.QemuHotRestartCompleted, EventName = nameof(EventIds.QemuHotRestartCompleted), Level = LogLevel.Information, Message = "Hot restart of VM {Vm} on {Host} done in {DurationMs} ms: process {OldPid} replaced by {NewPid}, guest paused {BlackoutMs:0.###} ms (QEMU's downtime {DowntimeMs} ms), {TransferredBytes} bytes of state sent, RAM shared ({Mode})")]
    public static partial void HotRestartCompleted(ILogger logger, string vm, string host, long durationMs, int oldPid, int newPid, double blackoutMs, long downtimeMs, long transferredBytes, string mode);

    [LoggerMessage(EventId = EventIds.QemuHotRestartFailed, EventName = nameof(EventIds.QemuHotRestartFailed), Level = LogLevel.Error, Message = "Hot restart of VM {Vm} on {Host} failed: {Reason}; {VmState}")]
    public static partial void HotRestartFailed(ILogger logger, string vm, string host, string reason, string vmState);

    [LoggerMessage(EventId = EventIds.QemuHotRestartReconciled, EventName = nameof(EventIds.QemuHotRestartReconciled), Level = LogLevel.Warning, Message = "Interrupted hot restart of VM {Vm} on {Host} reconciled: {Resolution}")]
    public static partial void HotRestartReconciled(ILogger logger, string vm, string host, string resolution);

    [LoggerMessage(EventId = EventIds.QemuProcessOutput, EventName = nameof(EventIds.QemuProcessOutput), Level = LogLevel.Warning, Message = "QEMU process {Pid} of VM {Vm} on {Host}: {Line}")]
    public static partial void ProcessOutput(ILogger logger, int pid, string vm, string host, string line);

    [LoggerMessage(EventId = EventIds.QemuColdMigrationCompleted, EventName = nameof(EventIds.QemuColdMigrationCompleted), Level = LogLevel.Information, Message = "Cold migration of VM {Vm} from {From} to {To} done; the VM was stopped for {StoppedMs} ms")]
    public static partial void ColdMigrationCompleted(ILogger logger, string vm, string from, string to, long stoppedMs);
}
