namespace Predictor.Notifications;

/// <summary>
/// The ids of Predictor.Notifications' log events, block 3000-3999: alert routing (31xx, was 11xx) and owner
/// maintenance events (33xx, was 13xx; 34xx: owner events shared by highly available daemons). The rules and all blocks: tests/Predictor.Tests/LogEventIdTests.cs.
/// </summary>
internal static class EventIds
{
    // Routing/Log.cs
    public const int RateLimited = 3101;
    public const int OverflowSent = 3102;
    public const int DeliveryFailed = 3103;
    public const int RefreshFailed = 3104;
    public const int PumpFailed = 3105;
    public const int AlertDeduplicated = 3106;

    // OwnerEvents/Log.cs
    public const int MaintenanceEventScheduled = 3301;
    public const int MaintenanceEventApproved = 3302;
    public const int MaintenanceEventRescheduled = 3303;
    public const int MaintenanceEventsLoaded = 3304;
    public const int MaintenanceEventsReloaded = 3400;
    public const int OwnerRequestRefused = 3305;
    public const int MaintenanceEventStateChanged = 3306;
    public const int OwnerWebhookFailed = 3307;
}
