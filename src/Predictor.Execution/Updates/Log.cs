using Microsoft.Extensions.Logging;

namespace Predictor.Execution.Updates;

internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.UpdateCommandStarted, EventName = nameof(EventIds.UpdateCommandStarted), Level = LogLevel.Information, Message = "Applying update {Update} to host {Host} ({Action}): command started as pid {Pid}")]
    public static partial void UpdateCommandStarted(ILogger logger, string host, string update, string action, int pid);

    [LoggerMessage(EventId = EventIds.UpdateCommandSucceeded, EventName = nameof(EventIds.UpdateCommandSucceeded), Level = LogLevel.Information, Message = "Update {Update} applied to host {Host} in {DurationS:0.0} s")]
    public static partial void UpdateCommandSucceeded(ILogger logger, string host, string update, double durationS);
}
