using Microsoft.Extensions.Logging;

namespace Predictor.Http;

internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.ApiRefused, EventName = nameof(EventIds.ApiRefused), Level = LogLevel.Warning, Message = "{Method} {Path} from {Remote} refused: {Reason}")]
    public static partial void ApiRefused(ILogger logger, string method, string path, string remote, string reason);

    [LoggerMessage(EventId = EventIds.ApiTokenGenerated, EventName = nameof(EventIds.ApiTokenGenerated), Level = LogLevel.Warning, Message = "No Api:Token or Api:TokenFile is configured: generated the operators' API token into {Path} (mode 0600); on-call passes it with --token-file")]
    public static partial void ApiTokenGenerated(ILogger logger, string path);

    [LoggerMessage(EventId = EventIds.ApiAudit, EventName = nameof(EventIds.ApiAudit), Level = LogLevel.Warning, Message = "Audit: {Caller} {Method} {Path} from {Remote}")]
    public static partial void ApiAudit(ILogger logger, string caller, string method, string path, string remote);

    [LoggerMessage(EventId = EventIds.StandbyRefused, EventName = nameof(EventIds.StandbyRefused), Level = LogLevel.Information, Message = "{Method} {Path} refused: this daemon is a standby (the leader is {Leader})")]
    public static partial void StandbyRefused(ILogger logger, string method, string path, string leader);
}
