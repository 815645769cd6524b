using Microsoft.Extensions.Logging;

namespace Predictor.Telemetry.Push;

internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.PushPartialWrite, EventName = nameof(EventIds.PushPartialWrite), Level = LogLevel.Warning, Message = "Push rejected {Rejected} malformed lines and accepted {Accepted}; first: {FirstError}")]
    public static partial void PartialWrite(ILogger logger, int rejected, int accepted, string firstError);

    [LoggerMessage(EventId = EventIds.SpoolFull, EventName = nameof(EventIds.SpoolFull), Level = LogLevel.Error, Message = "Spool full ({Pending} of {Max} bytes): pushes are refused with 503 until InfluxDB drains it")]
    public static partial void SpoolFull(ILogger logger, long pending, long max);

    [LoggerMessage(EventId = EventIds.SpoolRecovered, EventName = nameof(EventIds.SpoolRecovered), Level = LogLevel.Information, Message = "Spool has room again; pushes are accepted")]
    public static partial void SpoolRecovered(ILogger logger);

    [LoggerMessage(EventId = EventIds.AlertPublishFailed, EventName = nameof(EventIds.AlertPublishFailed), Level = LogLevel.Error, Message = "Publishing the {Condition} alert failed")]
    public static partial void AlertFailed(ILogger logger, string condition, Exception exception);
}
