using Microsoft.Extensions.Logging;

namespace Predictor.Telemetry.Push;

internal static partial class Log
{
    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "Push rejected {Rejected} malformed lines and accepted {Accepted}; first: {FirstError}")]
    public static partial void PartialWrite(ILogger logger, int rejected, int accepted, string firstError);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Error, Message = "Spool full ({Pending} of {Max} bytes): pushes are refused with 503 until InfluxDB drains it")]
    public static partial void SpoolFull(ILogger logger, long pending, long max);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Information, Message = "Spool has room again; pushes are accepted")]
    public static partial void SpoolRecovered(ILogger logger);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Error, Message = "Publishing the {Condition} alert failed")]
    public static partial void AlertFailed(ILogger logger, string condition, Exception exception);
}
