namespace Predictor;

/// <summary>
/// The ids of the executable's log events, block 8000-8999: the HTTP API (82xx, was 1207) and the ingest command
/// (89xx, was 1901). The rules and all blocks: tests/Predictor.Tests/LogEventIdTests.cs.
/// </summary>
internal static class EventIds
{
    // Http/Log.cs
    public const int ApiRefused = 8207;
    public const int ApiTokenGenerated = 8208;
    public const int ApiAudit = 8209;

    // Http/Log.cs: several daemons, one leader
    public const int StandbyRefused = 8400;

    // Cli/IngestCommand.cs
    public const int IngestAlert = 8901;
}
