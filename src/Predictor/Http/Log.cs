using Microsoft.Extensions.Logging;

namespace Predictor.Http;

internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.ApiRefused, EventName = nameof(EventIds.ApiRefused), Level = LogLevel.Warning, Message = "{Method} {Path} from {Remote} refused: {Reason}")]
    public static partial void ApiRefused(ILogger logger, string method, string path, string remote, string reason);
}
