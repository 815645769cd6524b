using Microsoft.Extensions.Logging;

namespace Predictor.Notifications.Routing;

internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.RateLimited, EventName = nameof(EventIds.RateLimited), Level = LogLevel.Warning, Message = "Rate limit of target {Target} reached: {Count} alert(s) of condition {Condition} held back; they will be summarised in one overflow notification")]
    public static partial void RateLimited(ILogger logger, string target, int count, string condition);

    [LoggerMessage(EventId = EventIds.OverflowSent, EventName = nameof(EventIds.OverflowSent), Level = LogLevel.Information, Message = "Sent overflow summary to target {Target}: {Count} alert(s) held back by its rate limit")]
    public static partial void OverflowSent(ILogger logger, string target, int count);

    [LoggerMessage(EventId = EventIds.DeliveryFailed, EventName = nameof(EventIds.DeliveryFailed), Level = LogLevel.Error, Message = "Could not deliver {Count} alert(s) of condition {Condition} to target {Target}; they will be sent again when next published")]
    public static partial void DeliveryFailed(ILogger logger, Exception exception, string target, int count, string condition);

    [LoggerMessage(EventId = EventIds.RefreshFailed, EventName = nameof(EventIds.RefreshFailed), Level = LogLevel.Error, Message = "Could not refresh active alerts at target {Target}")]
    public static partial void RefreshFailed(ILogger logger, Exception exception, string target);

    [LoggerMessage(EventId = EventIds.PumpFailed, EventName = nameof(EventIds.PumpFailed), Level = LogLevel.Error, Message = "Notification pump pass failed; the next pass retries")]
    public static partial void PumpFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = EventIds.AlertDeduplicated, EventName = nameof(EventIds.AlertDeduplicated), Level = LogLevel.Debug, Message = "Alert {DedupKey} unchanged within the repeat interval; not re-sent")]
    public static partial void Deduplicated(ILogger logger, string dedupKey);
}
