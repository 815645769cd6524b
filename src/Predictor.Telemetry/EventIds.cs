namespace Predictor.Telemetry;

/// <summary>
/// The ids of Predictor.Telemetry's log events, block 5000-5999: InfluxDB (51xx), push (52xx), spool (53xx),
/// scrape (54xx) and the spool's dead-letter file (5500-5549). The rules and all blocks: tests/Predictor.Tests/LogEventIdTests.cs.
/// </summary>
internal static class EventIds
{
    // Influx/Log.cs
    public const int InfluxRetrying = 5101;
    public const int InfluxCircuitOpened = 5102;
    public const int InfluxCircuitClosed = 5103;
    public const int InfluxWriteRejected = 5104;
    public const int InfluxPullFailed = 5105;

    // Push/Log.cs
    public const int PushPartialWrite = 5201;
    public const int SpoolFull = 5202;
    public const int SpoolRecovered = 5203;
    public const int AlertPublishFailed = 5204;

    // Spool/Log.cs
    public const int SpoolTornTailTruncated = 5301;
    public const int SpoolOpened = 5302;
    public const int SpoolForwardFailed = 5303;
    public const int SpoolBatchRefused = 5304;
    public const int SpoolDrained = 5305;
    public const int SpoolForwardLoopFailed = 5306;

    // Spool/Log.cs: the dead-letter file
    public const int SpoolDeadLettered = 5500;
    public const int SpoolDeadLetterFull = 5501;
    public const int SpoolDeadLetterAlertFailed = 5502;

    // Scrape/Log.cs
    public const int ScrapeFailed = 5401;
    public const int MalformedExposition = 5402;
}
