using Microsoft.Extensions.Logging;

namespace Predictor.Telemetry.Scrape;

internal static partial class Log
{
    [LoggerMessage(EventId = 5401, Level = LogLevel.Warning, Message = "Scraping {Host} at {Url} failed: {Reason}")]
    public static partial void ScrapeFailed(ILogger logger, string host, Uri url, string reason);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Warning, Message = "{Host} exposed {Count} malformed lines; first: {First}")]
    public static partial void MalformedExposition(ILogger logger, string host, int count, string first);
}
