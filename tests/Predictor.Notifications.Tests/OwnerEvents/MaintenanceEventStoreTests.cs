using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Testing;
using Predictor.Core.Plans;
using Predictor.Notifications.OwnerEvents;
using Predictor.Testing;

namespace Predictor.Notifications.Tests.OwnerEvents;

public sealed class MaintenanceEventStoreTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"owner-events-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Schedule_SameVmAndKindTwice_UpdatesOneEvent()
    {
        using var store = Open();
        var first = store.Schedule(Notice("vm-1", "team-a", hours: 48));

        var second = store.Schedule(Notice("vm-1", "team-a", hours: 24) with { Reason = "host firmware update 2.1" });

        Assert.Equal(first.Id, second.Id);
        var only = Assert.Single(store.ForOwner("team-a"));
        Assert.Equal(("host firmware update 2.1", _time.GetUtcNow().AddHours(24)), (only.Reason, only.NotBefore));
        Assert.Equal(_time.GetUtcNow().AddDays(14), only.WindowEnd);
    }

    [Fact]
    public void Reschedule_InsideWindow_MovesAndSurvivesRestart()
    {
        string id;
        var chosen = _time.GetUtcNow().AddDays(3);
        using (var store = Open())
        {
            id = store.Schedule(Notice("vm-1", "team-a", hours: 48)).Id;
            var result = store.Reschedule(id, "team-a", chosen);
            Assert.Equal(OwnerActionStatus.Ok, result.Status);
        }

        using var reopened = Open();
        var e = reopened.Get(id)!;
        Assert.Equal((chosen, MaintenanceState.Scheduled, OwnerChoiceKind.Rescheduled, TimeSpan.FromSeconds(20)), (e.NotBefore, e.State, e.Choice, e.ExpectedBlackout));
    }

    [Fact]
    public void Reschedule_OutsideWindow_InvalidWithWindowInMessage()
    {
        using var store = Open();
        var id = store.Schedule(Notice("vm-1", "team-a", hours: 48)).Id;

        var late = store.Reschedule(id, "team-a", _time.GetUtcNow().AddDays(15));
        var past = store.Reschedule(id, "team-a", _time.GetUtcNow().AddHours(-1));

        Assert.Equal(OwnerActionStatus.Invalid, late.Status);
        Assert.Equal($"notBefore 2026-01-20T00:00:00Z is outside the self-service window of event {id}: choose a time from 2026-01-05T00:00:00Z to 2026-01-19T00:00:00Z.", late.Error);
        Assert.Equal(OwnerActionStatus.Invalid, past.Status);
    }

    [Fact]
    public void Approve_AnotherOwnersEvent_NotFoundAndUnchanged()
    {
        using var store = Open();
        var id = store.Schedule(Notice("vm-1", "team-a", hours: 48)).Id;

        var result = store.Approve(id, "team-b");

        Assert.Equal((OwnerActionStatus.NotFound, $"No maintenance event '{id}' for your VMs."), (result.Status, result.Error));
        Assert.Equal(MaintenanceState.Scheduled, store.Get(id)!.State);
        Assert.Empty(store.ForOwner("team-b"));
    }

    [Fact]
    public void Approve_StartedEvent_Conflict()
    {
        using var store = Open();
        var id = store.Schedule(Notice("vm-1", "team-a", hours: 48)).Id;
        Assert.True(store.MarkStarted(id));

        var result = store.Approve(id, "team-a");

        Assert.Equal((OwnerActionStatus.Conflict, $"Maintenance event {id} has already started; it can no longer be changed."), (result.Status, result.Error));
    }

    [Fact]
    public void OwnerChoices_ApprovedRescheduledUntouchedAndCompleted_OnlyDecisionsInSecondsFromPlanStart()
    {
        using var store = Open();
        var approved = store.Schedule(Notice("vm-a", "team-a", hours: 48)).Id;
        var moved = store.Schedule(Notice("vm-b", "team-a", hours: 48)).Id;
        store.Schedule(Notice("vm-c", "team-a", hours: 48));
        var done = store.Schedule(Notice("vm-d", "team-a", hours: 48)).Id;
        store.Approve(approved, "team-a");
        store.Reschedule(moved, "team-a", _time.GetUtcNow().AddHours(6));
        store.Approve(done, "team-a");
        Assert.False(store.MarkCompleted(done)); // an event completes only once started
        Assert.True(store.MarkStarted(done));
        Assert.True(store.MarkCompleted(done));

        var choices = store.OwnerChoices(_time.GetUtcNow().AddHours(1)).ToArray();

        Assert.Equal([new OwnerChoice("vm-a", true, null), new OwnerChoice("vm-b", false, 5 * 3600)], choices);
    }

    [Fact]
    public void Lifecycle_StartedThenCompletedOrFailed_CancelledOnlyWhileOpen_EachChangeTold()
    {
        using var store = Open();
        var told = new List<(string Vm, MaintenanceState State)>();
        store.Changed += e => told.Add((e.Vm, e.State));
        var ok = store.Schedule(Notice("vm-a", "team-a", hours: 48)).Id;
        var bad = store.Schedule(Notice("vm-b", "team-a", hours: 48)).Id;
        var off = store.Schedule(Notice("vm-c", "team-a", hours: 48)).Id;

        Assert.True(store.MarkStarted(ok));
        Assert.True(store.MarkCompleted(ok));
        Assert.True(store.MarkStarted(bad));
        Assert.True(store.MarkFailed(bad));
        Assert.True(store.MarkCancelled(off));
        Assert.False(store.MarkCancelled(ok)); // done is done
        Assert.False(store.MarkStarted(off));

        Assert.Equal(
            [("vm-a", MaintenanceState.Scheduled), ("vm-b", MaintenanceState.Scheduled), ("vm-c", MaintenanceState.Scheduled),
             ("vm-a", MaintenanceState.Started), ("vm-a", MaintenanceState.Completed), ("vm-b", MaintenanceState.Started), ("vm-b", MaintenanceState.Failed), ("vm-c", MaintenanceState.Cancelled)],
            told);
        Assert.Empty(store.Open());
        Assert.Equal(OwnerActionStatus.Conflict, store.Approve(bad, "team-a").Status);
        Assert.Contains("has already failed", store.Reschedule(bad, "team-a", _time.GetUtcNow().AddHours(1)).Error, StringComparison.Ordinal);
        Assert.Contains("has been cancelled", store.Approve(off, "team-a").Error, StringComparison.Ordinal);
        // a new announcement for a VM whose event failed is a new event, with no choice carried over
        Assert.NotEqual(bad, store.Schedule(Notice("vm-b", "team-a", hours: 48)).Id);
    }

    [Fact]
    public void Ownerless_OwnerNamedUnassigned_SeesAndActsOnNothing_OperatorDoes()
    {
        using var store = Open();
        var id = store.Schedule(Notice("vm-1", null, hours: 48)).Id;

        var byOwner = store.Approve(id, "unassigned");

        Assert.Null(store.Get(id)!.Owner);
        Assert.Empty(store.ForOwner("unassigned"));
        Assert.Equal(OwnerActionStatus.NotFound, byOwner.Status);
        Assert.Equal(id, Assert.Single(store.ForOwner(null)).Id);
        Assert.Equal(OwnerActionStatus.Ok, store.Approve(id, null).Status);
    }

    [Fact]
    public void Operator_OwnedEvent_NeitherSeenNorChanged()
    {
        using var store = Open();
        var id = store.Schedule(Notice("vm-1", "team-a", hours: 48)).Id;

        Assert.Empty(store.ForOwner(null));
        Assert.Equal(OwnerActionStatus.NotFound, store.Reschedule(id, null, _time.GetUtcNow().AddDays(3)).Status);
    }

    [Fact]
    public void Open_DatabaseWithUnassignedPseudoOwner_RowsBecomeOwnerlessAndStaySo()
    {
        using (var connection = new SqliteConnection($"Data Source={_path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE maintenance_events (id TEXT PRIMARY KEY, vm TEXT NOT NULL, owner TEXT NOT NULL, host TEXT NOT NULL, kind TEXT NOT NULL,
                  reason TEXT NOT NULL, not_before_ms INTEGER NOT NULL, blackout_ms INTEGER NOT NULL, window_start_ms INTEGER NOT NULL,
                  window_end_ms INTEGER NOT NULL, state TEXT NOT NULL, choice TEXT NOT NULL, updated_ms INTEGER NOT NULL);
                INSERT INTO maintenance_events VALUES ('evt-old-1', 'vm-1', 'unassigned', 'h1', 'self-service', 'r', 0, 20000, 0, 86400000, 'Scheduled', 'None', 0);
                INSERT INTO maintenance_events VALUES ('evt-old-2', 'vm-2', 'team-a', 'h1', 'self-service', 'r', 0, 20000, 0, 86400000, 'Scheduled', 'None', 0);
                """;
            command.ExecuteNonQuery();
        }

        using (var store = Open())
        {
            Assert.Equal(((string?)null, "team-a"), (store.Get("evt-old-1")!.Owner, store.Get("evt-old-2")!.Owner));
            Assert.Empty(store.ForOwner("unassigned"));
            store.Schedule(Notice("vm-3", null, hours: 48));
        }

        using var reopened = Open();
        Assert.Equal(["vm-1", "vm-3"], reopened.ForOwner(null).Select(e => e.Vm).Order(StringComparer.Ordinal));
    }

    private MaintenanceEventStore Open() =>
        new(new OwnerEventsOptions { DatabasePath = _path }, _time, new FakeLogger<MaintenanceEventStore>());

    private MaintenanceNotice Notice(string vm, string? owner, int hours) =>
        new(vm, owner, "h1", "self-service", "host firmware update", _time.GetUtcNow().AddHours(hours), TimeSpan.FromSeconds(20));
}
