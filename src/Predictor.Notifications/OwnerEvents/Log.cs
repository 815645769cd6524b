using Microsoft.Extensions.Logging;

namespace Predictor.Notifications.OwnerEvents;

internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.MaintenanceEventScheduled, EventName = nameof(EventIds.MaintenanceEventScheduled), Level = LogLevel.Information, Message = "Maintenance event {Id} scheduled for VM {Vm} of {Owner}: {Kind} not before {NotBefore:o}")]
    public static partial void Scheduled(ILogger logger, string id, string vm, string owner, string kind, DateTimeOffset notBefore);

    [LoggerMessage(EventId = EventIds.MaintenanceEventApproved, EventName = nameof(EventIds.MaintenanceEventApproved), Level = LogLevel.Information, Message = "Owner {Owner} approved maintenance event {Id} for VM {Vm}")]
    public static partial void Approved(ILogger logger, string owner, string id, string vm);

    [LoggerMessage(EventId = EventIds.MaintenanceEventRescheduled, EventName = nameof(EventIds.MaintenanceEventRescheduled), Level = LogLevel.Information, Message = "Owner {Owner} moved maintenance event {Id} for VM {Vm} to not before {NotBefore:o}")]
    public static partial void Rescheduled(ILogger logger, string owner, string id, string vm, DateTimeOffset notBefore);

    [LoggerMessage(EventId = EventIds.MaintenanceEventsLoaded, EventName = nameof(EventIds.MaintenanceEventsLoaded), Level = LogLevel.Information, Message = "Loaded {Count} maintenance event(s) from {Path}")]
    public static partial void Loaded(ILogger logger, int count, string path);

    [LoggerMessage(EventId = EventIds.MaintenanceEventsReloaded, EventName = nameof(EventIds.MaintenanceEventsReloaded), Level = LogLevel.Debug, Message = "Read {Count} maintenance event(s) from the shared {Path}")]
    public static partial void Reloaded(ILogger logger, int count, string path);

    [LoggerMessage(EventId = EventIds.OwnerRequestRefused, EventName = nameof(EventIds.OwnerRequestRefused), Level = LogLevel.Warning, Message = "Owner API request refused: {Reason}")]
    public static partial void Unauthorized(ILogger logger, string reason);

    [LoggerMessage(EventId = EventIds.MaintenanceEventStateChanged, EventName = nameof(EventIds.MaintenanceEventStateChanged), Level = LogLevel.Information, Message = "Maintenance event {Id} of VM {Vm} on host {Host}: {From} → {To}")]
    public static partial void StateChanged(ILogger logger, string id, string vm, string host, string from, string to);

    [LoggerMessage(EventId = EventIds.OwnerWebhookFailed, EventName = nameof(EventIds.OwnerWebhookFailed), Level = LogLevel.Warning, Message = "Owner {Owner} could not be told that maintenance event {Id} is {State}: {Error}")]
    public static partial void OwnerWebhookFailed(ILogger logger, string owner, string id, string state, string error);
}
