using Microsoft.Extensions.Logging;

namespace Predictor.Daemon.Automation;

internal static partial class Log
{
    [LoggerMessage(1201, LogLevel.Warning, "Automation paused by an operator: {Reason}; running steps finish, no new step starts")]
    public static partial void Paused(ILogger logger, string reason);

    [LoggerMessage(1202, LogLevel.Warning, "Automation resumed by an operator (blast-radius guard acknowledged: {GuardAcknowledged})")]
    public static partial void Resumed(ILogger logger, bool guardAcknowledged);

    [LoggerMessage(1203, LogLevel.Warning, "Resume refused: the kill switch is engaged; {How}")]
    public static partial void ResumeRefused(ILogger logger, string how);

    [LoggerMessage(1204, LogLevel.Critical, "Kill switch engaged ({Reason}): all automation stopped, running steps aborted")]
    public static partial void KillSwitchEngaged(ILogger logger, string reason);

    [LoggerMessage(1205, LogLevel.Warning, "Kill switch released")]
    public static partial void KillSwitchReleased(ILogger logger);

    [LoggerMessage(1206, LogLevel.Critical, "Blast-radius guard tripped: {Flagged} of {Hosts} hosts ({Share:P1}) flagged within {Window}; automation stopped until an operator resumes. Top: {Top}")]
    public static partial void GuardTripped(ILogger logger, int flagged, int hosts, double share, TimeSpan window, string top);

    [LoggerMessage(1208, LogLevel.Warning, "Automation is stopped ({State}): this pass plans and starts nothing")]
    public static partial void PassNotActing(ILogger logger, string state);
}
