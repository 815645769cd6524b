using Microsoft.Extensions.Logging;

namespace Predictor.Daemon.Ha;

internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.LeaderElected, EventName = nameof(EventIds.LeaderElected), Level = LogLevel.Warning, Message = "{Node} is the leader now (fencing token {Token}): it plans and executes while it renews its lease of {LeaseTimeout}")]
    public static partial void Elected(ILogger logger, string node, long token, TimeSpan leaseTimeout);

    [LoggerMessage(EventId = EventIds.LeaderStoodDown, EventName = nameof(EventIds.LeaderStoodDown), Level = LogLevel.Warning, Message = "{Node} stopped acting (fencing token {Token}): {Reason}")]
    public static partial void StoodDown(ILogger logger, string node, long token, string reason);

    [LoggerMessage(EventId = EventIds.LeaseUnreachable, EventName = nameof(EventIds.LeaseUnreachable), Level = LogLevel.Error, Message = "Could not {Action} the lease ({Failures} attempts in a row): {Error}")]
    public static partial void LeaseUnreachable(ILogger logger, int failures, string action, string error);

    [LoggerMessage(EventId = EventIds.LeaseReachable, EventName = nameof(EventIds.LeaseReachable), Level = LogLevel.Information, Message = "The shared state answers again after {Failures} failed attempts")]
    public static partial void LeaseReachable(ILogger logger, int failures);

    [LoggerMessage(EventId = EventIds.LeaderSeen, EventName = nameof(EventIds.LeaderSeen), Level = LogLevel.Information, Message = "{Leader} holds the lease (fencing token {Token}); {Node} is a standby: it ingests, assesses and serves reads")]
    public static partial void LeaderSeen(ILogger logger, string leader, long token, string node);

    [LoggerMessage(EventId = EventIds.LeaseReleased, EventName = nameof(EventIds.LeaseReleased), Level = LogLevel.Information, Message = "Released the lease (fencing token {Token}): a standby may take over at once")]
    public static partial void LeaseReleased(ILogger logger, long token);

    [LoggerMessage(EventId = EventIds.LeaseNotReleased, EventName = nameof(EventIds.LeaseNotReleased), Level = LogLevel.Warning, Message = "Could not release the lease (fencing token {Token}): {Error}; it expires by itself")]
    public static partial void LeaseNotReleased(ILogger logger, long token, string error);

    [LoggerMessage(EventId = EventIds.HandingOver, EventName = nameof(EventIds.HandingOver), Level = LogLevel.Warning, Message = "Stopping as the leader: no new steps; waiting for {Running} running steps before releasing the lease")]
    public static partial void HandingOver(ILogger logger, int running);
}
