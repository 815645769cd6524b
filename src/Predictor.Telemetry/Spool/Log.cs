using Microsoft.Extensions.Logging;

namespace Predictor.Telemetry.Spool;

internal static partial class Log
{
    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "Spool segment {Segment} had a torn or corrupt record at offset {Offset}; truncated {Bytes} bytes written by an interrupted append")]
    public static partial void TruncatedTornTail(ILogger logger, string segment, long offset, long bytes);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Information, Message = "Spool opened in {Directory} with {Bytes} bytes waiting to be forwarded")]
    public static partial void Opened(ILogger logger, string directory, long bytes);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Warning, Message = "Forwarding spooled points to InfluxDB failed ({Reason}); retrying in {Delay}")]
    public static partial void ForwardFailed(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 5304, Level = LogLevel.Error, Message = "InfluxDB refused a spooled batch of {Bytes} bytes for good ({Reason}); it is skipped so later batches are not blocked")]
    public static partial void BatchRefused(ILogger logger, int bytes, string reason);

    [LoggerMessage(EventId = 5305, Level = LogLevel.Information, Message = "Spool drained to InfluxDB after an outage")]
    public static partial void Drained(ILogger logger);

    [LoggerMessage(EventId = 5306, Level = LogLevel.Error, Message = "The forwarding loop failed unexpectedly")]
    public static partial void ForwardLoopFailed(ILogger logger, Exception exception);
}
