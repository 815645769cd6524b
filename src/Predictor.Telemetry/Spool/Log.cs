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

    [LoggerMessage(EventId = EventIds.SpoolBatchRefused, EventName = nameof(EventIds.SpoolBatchRefused), Level = LogLevel.Error, Message = "InfluxDB refused a spooled batch of {Bytes} bytes for good ({Reason}); it is skipped so later batches are not blocked")]
    public static partial void BatchRefused(ILogger logger, int bytes, string reason);

    [LoggerMessage(EventId = EventIds.SpoolDrained, EventName = nameof(EventIds.SpoolDrained), Level = LogLevel.Information, Message = "Spool drained to InfluxDB after an outage")]
    public static partial void Drained(ILogger logger);

    [LoggerMessage(EventId = EventIds.SpoolForwardLoopFailed, EventName = nameof(EventIds.SpoolForwardLoopFailed), Level = LogLevel.Error, Message = "The forwarding loop failed unexpectedly")]
    public static partial void ForwardLoopFailed(ILogger logger, Exception exception);
}
