namespace Predictor.Planning;

/// <summary>
/// The ids of Predictor.Planning's log events, block 6000-6999. The rules and all blocks:
/// tests/Predictor.Tests/LogEventIdTests.cs.
/// </summary>
internal static class EventIds
{
    // Log.cs
    public const int PlanMade = 6001;
    public const int VmUnplaced = 6002;
    public const int RolloutHalted = 6003;
    public const int LateMove = 6004;
}
