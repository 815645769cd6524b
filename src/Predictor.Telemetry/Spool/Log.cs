using Microsoft.Extensions.Logging;

namespace Predictor.Telemetry.Spool;

internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.SpoolTornTailTruncated, EventName = nameof(EventIds.SpoolTornTailTruncated), Level = LogLevel.Warning, Message = "Spool segment {Segment} had a torn or corrupt record at offset {Offset}; truncated {Bytes} bytes written by an interrupted append")]
    public static partial void TruncatedTornTail(ILogger logger, string segment, long offset, long bytes);

    [LoggerMessage(EventId = EventIds.SpoolOpened, EventName = nameof(EventIds.SpoolOpened), Level = LogLevel.Information, Message = "Spool opened in {Directory} with {Bytes} bytes waiting to be forwarded")]
    public static partial void Opened(ILogger logger, string directory, long bytes);

    [LoggerMessage(EventId = EventIds.SpoolForwardFailed, EventName = nameof(EventIds.SpoolForwardFailed), Level = LogLevel.Warning, Message = "Forwarding spooled points to InfluxDB failed ({Reason}); retrying in {Delay}")]
    public static partial void ForwardFailed(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(EventId = EventIds.SpoolBatchRefused, EventName = nameof(EventIds.SpoolBatchRefused), Level = LogLevel.Error, Message = "InfluxDB refused a spooled batch of {Bytes} bytes ({Reason}); writing it again in halves to set the refused lines aside")]
    public static partial void BatchRefused(ILogger logger, int bytes, string reason);

    [LoggerMessage(EventId = EventIds.SpoolDrained, EventName = nameof(EventIds.SpoolDrained), Level = LogLevel.Information, Message = "Spool drained to InfluxDB after an outage")]
    public static partial void Drained(ILogger logger);

    [LoggerMessage(EventId = EventIds.SpoolForwardLoopFailed, EventName = nameof(EventIds.SpoolForwardLoopFailed), Level = LogLevel.Error, Message = "The forwarding loop failed unexpectedly")]
    public static partial void ForwardLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = EventIds.SpoolDeadLettered, EventName = nameof(EventIds.SpoolDeadLettered), Level = LogLevel.Warning, Message = "A forwarded line InfluxDB refused was kept in {File}: {Reason}")]
    public static partial void DeadLettered(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = EventIds.SpoolDeadLetterFull, EventName = nameof(EventIds.SpoolDeadLetterFull), Level = LogLevel.Error, Message = "A forwarded line InfluxDB refused was lost: the dead-letter file {File} is full (Spool:DeadLetterMaxBytes); InfluxDB said: {Reason}")]
    public static partial void DeadLetterFull(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = EventIds.SpoolDeadLetterAlertFailed, EventName = nameof(EventIds.SpoolDeadLetterAlertFailed), Level = LogLevel.Error, Message = "Publishing the {Condition} alert failed")]
    public static partial void DeadLetterAlertFailed(ILogger logger, string condition, Exception exception);
}
