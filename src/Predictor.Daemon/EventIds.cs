namespace Predictor.Daemon;

/// <summary>
/// The ids of Predictor.Daemon's log events, block 1000-1999: the pass (10xx), the datacenter (11xx), automation
/// control (12xx), telemetry sources (14xx; they shared 1101-1106 with the datacenter and notification routing), and
/// leader election on shared state with the quarantine's lifecycle (150x-154x).
/// Retired, never to be reused: 1005, 1006, 1010, 1011, 1013, 1020 (now 70xx), 1207 (now 8207), 1301-1305 (now 33xx),
/// 1901 (now 8901). The rules and all blocks: tests/Predictor.Tests/LogEventIdTests.cs.
/// </summary>
internal static class EventIds
{
    // Log.cs
    public const int HostAtRisk = 1001;
    public const int PassCompleted = 1002;
    public const int PassFailed = 1003;
    public const int VmUnplaced = 1004;
    public const int HostStale = 1007;
    public const int LadderDecision = 1008;
    public const int StepsRecovered = 1009;
    public const int PlanRejected = 1014;
    public const int ModelLoaded = 1015;
    public const int ModelLoadFailed = 1016;
    public const int RolloutHalted = 1017;
    public const int RolloutResumed = 1018;
    public const int OutcomeDropped = 1019;
    public const int HostReleased = 1020;
    public const int ReleasedHostHeld = 1021;
    public const int SelfServiceDue = 1022;
    public const int RecoveryRetrying = 1023;
    public const int StartupGaveUp = 1024;

    // Datacenter/Log.cs
    public const int PlacementChanged = 1101;
    public const int VmNotFound = 1102;
    public const int PlacementUnverified = 1103;
    public const int DatacenterLoaded = 1104;
    public const int PlacementsVerified = 1105;
    public const int PlacementVerifyFailed = 1106;
    public const int NoDestination = 1107;
    public const int MissingDestinations = 1108;
    public const int NoTelemetrySource = 1109;

    // Automation/Log.cs
    public const int AutomationPaused = 1201;
    public const int AutomationResumed = 1202;
    public const int ResumeRefused = 1203;
    public const int KillSwitchEngaged = 1204;
    public const int KillSwitchReleased = 1205;
    public const int BlastRadiusGuardTripped = 1206;
    public const int PassNotActing = 1208;

    // shared kill switch, outcome log and owner events on PostgreSQL, block 1700-1749
    public const int KillSwitchNotShared = 1700;

    // LifecycleLog.cs: the model lifecycle (hot reload, the outcome and feature log, retraining), block 1600-1649
    public const int ModelSwitched = 1600;
    public const int ModelSwitchFailed = 1601;
    public const int OutcomeLogWriteFailed = 1602;
    public const int OutcomeRecorded = 1603;
    public const int OutcomeLogPruned = 1604;
    public const int RetrainDecided = 1605;

    // Telemetry/Log.cs
    public const int TelemetrySourceChosen = 1401;
    public const int SimulatorEmitFailed = 1402;
    public const int TelemetryReadFailed = 1403;
    public const int UnknownHosts = 1404;
    public const int UnmappedFields = 1405;
    public const int MissingHostTag = 1406;

    // Ha/Log.cs
    public const int LeaderElected = 1500;
    public const int LeaderStoodDown = 1501;
    public const int LeaseUnreachable = 1502;
    public const int LeaseReachable = 1503;
    public const int LeaderSeen = 1504;
    public const int LeaseReleased = 1505;
    public const int LeaseNotReleased = 1506;
    public const int HandingOver = 1507;

    // Log.cs: taking over as the leader
    public const int TakingOver = 1510;
    public const int TookOver = 1511;

    // Log.cs: the quarantine's lifecycle
    public const int RepairRecorded = 1520;
    public const int ReleasedAfterRepair = 1521;
    public const int RepairCountReset = 1522;
    public const int HostDecommissioned = 1523;
}
