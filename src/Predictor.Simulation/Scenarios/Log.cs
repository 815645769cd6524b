using Microsoft.Extensions.Logging;

namespace Predictor.Simulation.Scenarios;

internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.HostFailed, EventName = nameof(EventIds.HostFailed), Level = LogLevel.Error, Message = "Host {Host} failed at {At:u}; {Count} VMs were still on it and were interrupted: {Vms}")]
    public static partial void HostFailed(ILogger logger, string host, DateTimeOffset at, int count, string vms);

    [LoggerMessage(EventId = EventIds.HostFailedEmpty, EventName = nameof(EventIds.HostFailedEmpty), Level = LogLevel.Information, Message = "Host {Host} failed at {At:u} with no VMs on it")]
    public static partial void HostFailedEmpty(ILogger logger, string host, DateTimeOffset at);

    [LoggerMessage(EventId = EventIds.VmRestarted, EventName = nameof(EventIds.VmRestarted), Level = LogLevel.Warning, Message = "VM {Vm} restarted on {Host} after its host failed")]
    public static partial void VmRestarted(ILogger logger, string vm, string host);

    [LoggerMessage(EventId = EventIds.VmNotRestarted, EventName = nameof(EventIds.VmNotRestarted), Level = LogLevel.Critical, Message = "VM {Vm} is down: no host has room to restart it")]
    public static partial void VmNotRestarted(ILogger logger, string vm);

    [LoggerMessage(EventId = EventIds.SimulationStepFailed, EventName = nameof(EventIds.SimulationStepFailed), Level = LogLevel.Error, Message = "Simulated failure of host {Host} could not be applied")]
    public static partial void SimulationStepFailed(ILogger logger, string host, Exception exception);

    [LoggerMessage(EventId = EventIds.ScenarioFinished, EventName = nameof(EventIds.ScenarioFinished), Level = LogLevel.Information, Message = "Scenario finished at {End:u}")]
    public static partial void ScenarioFinished(ILogger logger, DateTimeOffset end);
}
