using Predictor.Core.Plans;
using Predictor.Daemon.Tests.Support;
using Predictor.Execution.Journal;
using Predictor.Notifications.OwnerEvents;

namespace Predictor.Daemon.Tests;

/// <summary>The self-service rung carried out: at the owners' moment or when the window closes, with the events' lifecycle.</summary>
public sealed class SelfServiceTests
{
    // h2 holds v4 (live-migratable) and v5 (a gpu VM that cannot live-migrate): a reboot update leaves v5 to its owner
    private static readonly HostUpdate Reboot = new("h2", "kernel-7", UpdateKind.Reboot);

    [Fact]
    public async Task Reboot_OwnerApproves_HostIsUpdatedAtOnceAndTheEventCompletes()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory(), updates: [Reboot], selfServiceWindow: TimeSpan.FromDays(7));
        await harness.RunUntilAsync(harness.Start + TimeSpan.FromMinutes(10));

        var e = Assert.Single(harness.OwnerEvents!.Open());
        Assert.Equal(("v5", "h2", "self-service"), (e.Vm, e.Host, e.Kind));
        Assert.Equal(1, harness.Pipeline.PendingUpdateCount); // waiting for its owner is not done
        Assert.DoesNotContain(harness.Recorder.Steps, s => s.Outcome.Kind == StepKind.SelfService);
        // v4 left by live migration; v5 stays on h2
        Assert.Equal("h2", harness.Datacenter.Inventory().GetVm("v5").Host);

        Assert.Equal(OwnerActionStatus.Ok, harness.OwnerEvents.Approve(e.Id, null).Status); // v5 has no owner: an operator acts
        await harness.RunUntilAsync(harness.Clock.GetUtcNow() + TimeSpan.FromMinutes(30));

        var step = Assert.Single(harness.Recorder.Steps, s => s.Outcome.Kind == StepKind.SelfService);
        Assert.True(step.Outcome.Succeeded, step.Outcome.Message);
        Assert.Equal("h2", step.Outcome.Target);
        Assert.True(step.Outcome.Blackout > TimeSpan.Zero);
        Assert.Equal(MaintenanceState.Completed, harness.OwnerEvents.Get(e.Id)!.State);
        Assert.Equal(0, harness.Pipeline.PendingUpdateCount);
        Assert.Equal("h2", harness.Datacenter.Inventory().GetVm("v5").Host); // held through the restart, never moved
    }

    [Fact]
    public async Task Reboot_NoOwnerChoice_WaitsForTheWindowThenRuns()
    {
        var window = TimeSpan.FromHours(3);
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory(), updates: [Reboot], selfServiceWindow: window);
        await harness.RunUntilAsync(harness.Start + TimeSpan.FromMinutes(10));
        var e = Assert.Single(harness.OwnerEvents!.Open());

        await harness.RunUntilAsync(e.WindowEnd - TimeSpan.FromMinutes(10));
        Assert.DoesNotContain(harness.Recorder.Steps, s => s.Outcome.Kind == StepKind.SelfService);
        Assert.Equal(MaintenanceState.Scheduled, harness.OwnerEvents.Get(e.Id)!.State);

        await harness.RunUntilAsync(e.WindowEnd + TimeSpan.FromMinutes(30));
        var step = Assert.Single(harness.Recorder.Steps, s => s.Outcome.Kind == StepKind.SelfService);
        Assert.True(step.At >= e.WindowEnd, $"ran at {step.At}, window closed at {e.WindowEnd}");
        Assert.Equal(MaintenanceState.Completed, harness.OwnerEvents.Get(e.Id)!.State);
    }

    [Fact]
    public async Task Reboot_OwnerPicksALaterMoment_RunsThenNotBefore()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory(), updates: [Reboot], selfServiceWindow: TimeSpan.FromDays(7));
        await harness.RunUntilAsync(harness.Start + TimeSpan.FromMinutes(10));
        var e = Assert.Single(harness.OwnerEvents!.Open());
        var chosen = harness.Clock.GetUtcNow() + TimeSpan.FromHours(2);

        Assert.Equal(OwnerActionStatus.Ok, harness.OwnerEvents.Reschedule(e.Id, null, chosen).Status);
        await harness.RunUntilAsync(chosen + TimeSpan.FromMinutes(30));

        var step = Assert.Single(harness.Recorder.Steps, s => s.Outcome.Kind == StepKind.SelfService);
        Assert.InRange(step.At, chosen, chosen + TimeSpan.FromMinutes(30));
        Assert.Equal(MaintenanceState.Completed, harness.OwnerEvents.Get(e.Id)!.State);
    }

    [Fact]
    public async Task WaitingHost_FoundAtRisk_EventIsCancelledAndTheEvacuationWaitsForNobody()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory(), updates: [Reboot], selfServiceWindow: TimeSpan.FromDays(7));
        await harness.RunUntilAsync(harness.Start + TimeSpan.FromMinutes(10));
        var e = Assert.Single(harness.OwnerEvents!.Open());
        harness.OwnerEvents.Reschedule(e.Id, null, harness.Clock.GetUtcNow() + TimeSpan.FromDays(5));

        harness.Datacenter.DiskPrecursor("h2", harness.Clock.GetUtcNow() - TimeSpan.FromDays(1));
        await harness.RunUntilAsync(harness.Clock.GetUtcNow() + TimeSpan.FromHours(2));

        Assert.Contains("h2", harness.Pipeline.Quarantined);
        Assert.Equal(MaintenanceState.Cancelled, harness.OwnerEvents.Get(e.Id)!.State);
        // v5 cannot live-migrate: it moves cold now, not at the moment its owner chose for the update
        var move = Assert.Single(harness.Recorder.MovesOff("h2"), m => m.Outcome.Target == "v5");
        Assert.True(move.At < harness.Start + TimeSpan.FromHours(3), $"v5 moved at {move.At}");
        Assert.DoesNotContain(harness.Recorder.Steps, s => s.Outcome.Kind == StepKind.SelfService);
    }
}
