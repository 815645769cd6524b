using Microsoft.Extensions.Logging;

namespace Predictor.Simulation.Scenarios;

internal static partial class Log
{
    [LoggerMessage(1005, LogLevel.Error, "Host {Host} failed at {At:u}; {Count} VMs were still on it and were interrupted: {Vms}")]
    public static partial void HostFailed(ILogger logger, string host, DateTimeOffset at, int count, string vms);

    [LoggerMessage(1006, LogLevel.Information, "Host {Host} failed at {At:u} with no VMs on it")]
    public static partial void HostFailedEmpty(ILogger logger, string host, DateTimeOffset at);

    [LoggerMessage(1010, LogLevel.Warning, "VM {Vm} restarted on {Host} after its host failed")]
    public static partial void VmRestarted(ILogger logger, string vm, string host);

    [LoggerMessage(1011, LogLevel.Critical, "VM {Vm} is down: no host has room to restart it")]
    public static partial void VmNotRestarted(ILogger logger, string vm);

    [LoggerMessage(1013, LogLevel.Error, "Simulated failure of host {Host} could not be applied")]
    public static partial void SimulationStepFailed(ILogger logger, string host, Exception exception);

    [LoggerMessage(1020, LogLevel.Information, "Scenario finished at {End:u}")]
    public static partial void ScenarioFinished(ILogger logger, DateTimeOffset end);
}
