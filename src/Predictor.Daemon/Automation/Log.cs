using Microsoft.Extensions.Logging;

namespace Predictor.Daemon.Automation;

internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.AutomationPaused, EventName = nameof(EventIds.AutomationPaused), Level = LogLevel.Warning, Message = "Automation paused by an operator: {Reason}; running steps finish, no new step starts")]
    public static partial void Paused(ILogger logger, string reason);

    [LoggerMessage(EventId = EventIds.AutomationResumed, EventName = nameof(EventIds.AutomationResumed), Level = LogLevel.Warning, Message = "Automation resumed by an operator (blast-radius guard acknowledged: {GuardAcknowledged})")]
    public static partial void Resumed(ILogger logger, bool guardAcknowledged);

    [LoggerMessage(EventId = EventIds.ResumeRefused, EventName = nameof(EventIds.ResumeRefused), Level = LogLevel.Warning, Message = "Resume refused: the kill switch is engaged; {How}")]
    public static partial void ResumeRefused(ILogger logger, string how);

    [LoggerMessage(EventId = EventIds.KillSwitchEngaged, EventName = nameof(EventIds.KillSwitchEngaged), Level = LogLevel.Critical, Message = "Kill switch engaged ({Reason}): all automation stopped, running steps aborted")]
    public static partial void KillSwitchEngaged(ILogger logger, string reason);

    [LoggerMessage(EventId = EventIds.KillSwitchNotShared, EventName = nameof(EventIds.KillSwitchNotShared), Level = LogLevel.Error, Message = "Kill switch engaged on this daemon only: the shared state could not be written ({Error}); a daemon that takes over would act. Engage it again, or stop the other daemons")]
    public static partial void KillSwitchNotShared(ILogger logger, string error);

    [LoggerMessage(EventId = EventIds.KillSwitchReleased, EventName = nameof(EventIds.KillSwitchReleased), Level = LogLevel.Warning, Message = "Kill switch released")]
    public static partial void KillSwitchReleased(ILogger logger);

    [LoggerMessage(EventId = EventIds.BlastRadiusGuardTripped, EventName = nameof(EventIds.BlastRadiusGuardTripped), Level = LogLevel.Critical, Message = "Blast-radius guard tripped: {Flagged} of {Hosts} hosts ({Share:P1}) flagged within {Window}; automation stopped until an operator resumes. Top: {Top}")]
    public static partial void GuardTripped(ILogger logger, int flagged, int hosts, double share, TimeSpan window, string top);

    [LoggerMessage(EventId = EventIds.PassNotActing, EventName = nameof(EventIds.PassNotActing), Level = LogLevel.Warning, Message = "Automation is stopped ({State}): this pass plans and starts nothing")]
    public static partial void PassNotActing(ILogger logger, string state);
}
