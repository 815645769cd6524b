using Microsoft.Extensions.Logging;

namespace Predictor.Telemetry.Scrape;

internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.ScrapeFailed, EventName = nameof(EventIds.ScrapeFailed), Level = LogLevel.Warning, Message = "Scraping {Host} at {Url} failed: {Reason}")]
    public static partial void ScrapeFailed(ILogger logger, string host, Uri url, string reason);

    [LoggerMessage(EventId = EventIds.MalformedExposition, EventName = nameof(EventIds.MalformedExposition), Level = LogLevel.Warning, Message = "{Host} exposed {Count} malformed lines; first: {First}")]
    public static partial void MalformedExposition(ILogger logger, string host, int count, string first);
}
