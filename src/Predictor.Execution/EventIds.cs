namespace Predictor.Execution;

/// <summary>
/// The ids of Predictor.Execution's log events, block 2000-2999: the executor (20xx), host update commands (21xx),
/// the libvirt adapter (22xx, was 72xx) and the QEMU/QMP adapter (23xx, was 71xx: 21xx was taken by the updates).
/// Retired, never to be reused: 7100-7123 and 7210-7222, now in the simulation's block. The rules and all blocks:
/// tests/Predictor.Tests/LogEventIdTests.cs.
/// </summary>
internal static class EventIds
{
    // Executor/Log.cs
    public const int MigrationStarting = 2001;
    public const int MigrationCompleted = 2002;
    public const int StepFailed = 2003;
    public const int MemoryPreservingCompleted = 2004;
    public const int HotPatchApplied = 2005;
    public const int StepRecovered = 2006;
    public const int DryRun = 2007;
    public const int PausedSkipped = 2008;
    public const int EmptyHostUpdated = 2009;
    public const int StepRetrying = 2010;
    public const int CircuitOpened = 2011;
    public const int CircuitClosed = 2012;
    public const int PausedDropped = 2013;
    public const int Aborting = 2014;
    public const int StepCrashed = 2015;
    public const int HotRestartCompleted = 2016;
    public const int HotRestartFellBack = 2017;
    public const int SelfServiceCompleted = 2020;

    // Executor/Log.cs: shared state (several daemons, one leader)
    public const int StepFenced = 2400;

    // Updates/Log.cs
    public const int UpdateCommandStarted = 2101;
    public const int UpdateCommandSucceeded = 2102;

    // Hypervisors/Libvirt/Log.cs
    public const int LibvirtMigrationStarted = 2210;
    public const int LibvirtMigrationCompleted = 2211;
    public const int LibvirtMigrationFailed = 2212;
    public const int LibvirtVmPaused = 2220;
    public const int LibvirtVmResumed = 2221;
    public const int LibvirtVmResumedUnmeasured = 2222;

    // Hypervisors/Qmp/Log.cs
    public const int QmpConnected = 2300;
    public const int QmpCommandSent = 2301;
    public const int QmpEventReceived = 2302;
    public const int QmpUnmatchedMessage = 2303;
    public const int QmpClosedWithPending = 2304;
    public const int QemuMigrationStarted = 2310;
    public const int QemuMigrationCompleted = 2311;
    public const int QemuMigrationFailed = 2312;
    public const int QemuDowntimeOverLimit = 2313;
    public const int QemuSourceRetired = 2314;
    public const int QemuMigrationAlreadyDone = 2315;
    public const int QemuMigrationCancelling = 2316;
    public const int QemuMigrationAdopted = 2317;
    public const int QemuVmPaused = 2320;
    public const int QemuVmResumed = 2321;
    public const int QemuVmResumedUnmeasured = 2322;
    public const int QemuColdMigrationCompleted = 2323;
    public const int QemuHotRestartStarting = 2330;
    public const int QemuHotRestartCompleted = 2331;
    public const int QemuHotRestartFailed = 2332;
    public const int QemuHotRestartReconciled = 2333;
    public const int QemuProcessOutput = 2334;
}
