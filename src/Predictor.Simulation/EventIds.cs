namespace Predictor.Simulation;

/// <summary>
/// The ids of Predictor.Simulation's log events, block 7000-7999: scenarios (70xx, was 10xx). Retired, never to be
/// reused: 7100-7123 and 7210-7222 (Predictor.Execution's hypervisor events, now 23xx and 22xx). The rules and all
/// blocks: tests/Predictor.Tests/LogEventIdTests.cs.
/// </summary>
internal static class EventIds
{
    // Scenarios/Log.cs
    public const int HostFailed = 7005;
    public const int HostFailedEmpty = 7006;
    public const int VmRestarted = 7010;
    public const int VmNotRestarted = 7011;
    public const int SimulationStepFailed = 7013;
    public const int ScenarioFinished = 7020;
}
