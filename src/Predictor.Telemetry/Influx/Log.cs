using System.Net;
using Microsoft.Extensions.Logging;

namespace Predictor.Telemetry.Influx;

internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.InfluxRetrying, EventName = nameof(EventIds.InfluxRetrying), Level = LogLevel.Warning, Message = "InfluxDB {Operation} attempt {Attempt} failed ({Reason}); retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, string operation, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(EventId = EventIds.InfluxCircuitOpened, EventName = nameof(EventIds.InfluxCircuitOpened), Level = LogLevel.Error, Message = "InfluxDB circuit opened for {Duration} after repeated failures ({Reason})")]
    public static partial void CircuitOpened(ILogger logger, TimeSpan duration, string reason);

    [LoggerMessage(EventId = EventIds.InfluxCircuitClosed, EventName = nameof(EventIds.InfluxCircuitClosed), Level = LogLevel.Information, Message = "InfluxDB circuit closed again")]
    public static partial void CircuitClosed(ILogger logger);

    [LoggerMessage(EventId = EventIds.InfluxWriteRejected, EventName = nameof(EventIds.InfluxWriteRejected), Level = LogLevel.Warning, Message = "InfluxDB rejected part of a write with {Status}: {Error}")]
    public static partial void WriteRejected(ILogger logger, HttpStatusCode status, string error);

    [LoggerMessage(EventId = EventIds.InfluxPullFailed, EventName = nameof(EventIds.InfluxPullFailed), Level = LogLevel.Warning, Message = "Pulling telemetry from InfluxDB failed: {Reason}")]
    public static partial void PullFailed(ILogger logger, string reason);
}
