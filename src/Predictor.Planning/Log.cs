using Microsoft.Extensions.Logging;

namespace Predictor.Planning;

internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.PlanMade, EventName = nameof(EventIds.PlanMade), Level = LogLevel.Information,
        Message = "Plan made in {PlanningS:0.###} s: {Moves} moves, {Unplaced} unplaced, {Steps} maintenance steps; makespan {MakespanS:0.#} s vs lower bound {LowerBoundS:0.#} s")]
    public static partial void PlanMade(ILogger logger, double planningS, int moves, int unplaced, int steps, double makespanS, double lowerBoundS);

    [LoggerMessage(EventId = EventIds.VmUnplaced, EventName = nameof(EventIds.VmUnplaced), Level = LogLevel.Warning, Message = "VM {Vm} cannot be evacuated: {Reason}")]
    public static partial void VmUnplaced(ILogger logger, string vm, string reason);

    [LoggerMessage(EventId = EventIds.RolloutHalted, EventName = nameof(EventIds.RolloutHalted), Level = LogLevel.Warning, Message = "{Reason}")]
    public static partial void RolloutHalted(ILogger logger, string reason);

    [LoggerMessage(EventId = EventIds.LateMove, EventName = nameof(EventIds.LateMove), Level = LogLevel.Warning, Message = "VM {Vm} is planned to finish leaving {Host} at {EndS:0.#} s, after its predicted failure at {DeadlineS:0.#} s")]
    public static partial void LateMove(ILogger logger, string vm, string host, double endS, double deadlineS);
}
