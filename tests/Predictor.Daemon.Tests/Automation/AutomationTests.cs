using Predictor.Core.Alerts;
using Predictor.Core.Hypervisors;
using Predictor.Daemon.Automation;
using Predictor.Execution.Journal;
using Predictor.Daemon.Tests.Support;

namespace Predictor.Daemon.Tests;

/// <summary>The blast-radius guard, the operator's pause and the kill switch, on the real pipeline over a scripted datacenter.</summary>
public sealed class AutomationTests
{
    private static readonly BlastRadiusOptions s_tight = new() { BlastRadiusMaxShare = 0.3, BlastRadiusMinHosts = 2, BlastRadiusWindow = TimeSpan.FromHours(1) };

    [Fact]
    public async Task RunPass_HalfTheFleetFlaggedAtOnce_TripsGuardOnceAndNothingMoves()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory(), guard: s_tight);
        foreach (var host in new[] { "h1", "h2", "h3" })
        {
            harness.Datacenter.DiskPrecursor(host, harness.Start);
        }

        await harness.RunUntilAsync(harness.Start + TimeSpan.FromHours(4));

        var trip = Assert.Single(harness.Alerts.Published, a => a.Condition == AlertConditions.BlastRadiusGuardTripped);
        Assert.Equal(AlertSeverity.Critical, trip.Severity);
        Assert.False(trip.Resolved);
        Assert.Equal("3", trip.Details["flagged"]);
        Assert.Equal("6", trip.Details["hosts"]);
        Assert.Equal("0.500", trip.Details["share"]);
        Assert.Equal("0.300", trip.Details["maxShare"]);
        Assert.StartsWith("Blast-radius guard tripped: 3 of 6 hosts (50.0%) flagged at risk within 01:00:00 (limit 30.0%).", trip.Summary, StringComparison.Ordinal);
        Assert.EndsWith("Top: h1 (p=0.80), h2 (p=0.80), h3 (p=0.80)", trip.Summary, StringComparison.Ordinal);
        Assert.Empty(harness.Recorder.Steps);
        Assert.True(harness.Executor.Paused);
        var status = harness.Automation!.Status();
        Assert.Equal("guard-tripped", status.State);
        Assert.Equal(["h1", "h2", "h3"], status.Guard!.Top.Select(t => t.Host).ToArray());
        Assert.Equal(["v1", "v2", "v3"], harness.Snapshots[^1].VmsOn("h1").Select(v => v.Id).Order().ToArray());
        // flagging is observation, not action: on-call still hears of every host
        Assert.Equal(3, harness.Alerts.Published.Count(a => a.Condition == AlertConditions.HostPredictedToFail));
        Assert.Contains(harness.AutomationLogger.Collector.GetSnapshot(), e => e.Id.Id == 1206);
    }

    [Fact]
    public async Task ResumeAsync_AfterGuardTripped_ResolvesAlertAndEvacuatesFlaggedHosts()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory(), guard: s_tight);
        foreach (var host in new[] { "h1", "h2", "h3" })
        {
            harness.Datacenter.DiskPrecursor(host, harness.Start);
        }

        await harness.RunUntilAsync(harness.Start + TimeSpan.FromHours(1));
        Assert.True(harness.Automation!.Stopped);

        var (resumed, message) = await harness.Automation.ResumeAsync(CancellationToken.None);
        await harness.RunUntilAsync(harness.Start + TimeSpan.FromHours(3));

        Assert.True(resumed);
        Assert.Equal("automation resumed", message);
        Assert.False(harness.Executor.Paused);
        var guardAlerts = harness.Alerts.Published.Where(a => a.Condition == AlertConditions.BlastRadiusGuardTripped).ToList();
        Assert.Equal([false, true], guardAlerts.Select(a => a.Resolved).ToArray());
        Assert.Equal(["v1", "v2", "v3"], harness.Recorder.MovesOff("h1").Select(m => m.Outcome.Target).Order().ToArray());
        Assert.Empty(harness.Snapshots[^1].VmsOn("h1"));
        Assert.Empty(harness.Snapshots[^1].VmsOn("h3"));
    }

    [Fact]
    public async Task RunPass_OneHostOfSmallFleetFlagged_DefaultGuardDoesNotTrip()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory(), guard: new BlastRadiusOptions());
        harness.Datacenter.DiskPrecursor("h1", harness.Start);

        await harness.RunUntilAsync(harness.Start + TimeSpan.FromHours(2));

        Assert.DoesNotContain(harness.Alerts.Published, a => a.Condition == AlertConditions.BlastRadiusGuardTripped);
        Assert.Equal("running", harness.Automation!.Status().State);
        Assert.Equal(3, harness.Recorder.MovesOff("h1").Count());
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(6, true)]
    public async Task RunPass_FlagsTwoHoursApart_TripOnlyWhenTheWindowHoldsBoth(int windowHours, bool trips)
    {
        var guard = new BlastRadiusOptions { BlastRadiusMaxShare = 0.3, BlastRadiusMinHosts = 2, BlastRadiusWindow = TimeSpan.FromHours(windowHours) };
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory(), guard: guard);
        harness.Datacenter.DiskPrecursor("h3", harness.Start);
        harness.Datacenter.DiskPrecursor("h4", harness.Start + TimeSpan.FromHours(2));

        await harness.RunUntilAsync(harness.Start + TimeSpan.FromHours(4));

        Assert.Equal(["h3", "h4"], harness.Recorder.Flagged.Keys.Order().ToArray());
        Assert.Equal(trips ? 1 : 0, harness.Alerts.Published.Count(a => a.Condition == AlertConditions.BlastRadiusGuardTripped));
        // h3 was flagged alone either way and its VM evacuated before the second flag
        Assert.Equal(["v6"], harness.Recorder.MovesOff("h3").Select(m => m.Outcome.Target).ToArray());
        Assert.Equal(trips ? 0 : 1, harness.Recorder.MovesOff("h4").Count() + harness.Recorder.Unplaced.Count(u => u.Vm == "v7"));
    }

    [Fact]
    public async Task Pause_BeforeHostFlagged_NothingMovesUntilResumed()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory(), guard: new BlastRadiusOptions());
        harness.Datacenter.DiskPrecursor("h1", harness.Start);
        var status = harness.Automation!.Pause("kernel rollout freeze");

        await harness.RunUntilAsync(harness.Start + TimeSpan.FromHours(2));

        Assert.Equal("paused", status.State);
        Assert.Equal("kernel rollout freeze", status.Pause!.Reason);
        Assert.Contains(harness.Alerts.Published, a => a.Condition == AlertConditions.HostPredictedToFail && a.Host == "h1");
        Assert.Empty(harness.Recorder.Steps);

        await harness.Automation.ResumeAsync(CancellationToken.None);
        await harness.RunUntilAsync(harness.Start + TimeSpan.FromHours(4));

        Assert.Equal(3, harness.Recorder.MovesOff("h1").Count());
        Assert.DoesNotContain(harness.Alerts.Published, a => a.Condition == AlertConditions.BlastRadiusGuardTripped);
    }

    [Fact]
    public async Task EngageKillSwitch_DuringEvacuation_AbortsMigrationsVmsStayOnSourceAndResumeIsRefused()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory(), guard: new BlastRadiusOptions());
        harness.Datacenter.DiskPrecursor("h1", harness.Start - TimeSpan.FromHours(2));
        await harness.Pipeline.RunPassAsync(CancellationToken.None);
        await harness.Executor.WhenIdleAsync();
        Assert.True(harness.Datacenter.Hypervisor.Snapshot().VmsOn("h1").Any(v => harness.Executor.IsBusy(v.Id)) && Migrating(harness) > 0, "the evacuation should be migrating");

        harness.Automation!.EngageKillSwitch("bad firmware rollout");
        await harness.Executor.DrainAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var failed = harness.Recorder.Steps.Where(s => !s.Outcome.Succeeded).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, s => Assert.Equal("aborted (kill switch: bad firmware rollout); the migration was cancelled and the VM stays on h1", s.Outcome.Message));
        Assert.DoesNotContain(harness.Recorder.Steps, s => s.Outcome.Succeeded);
        Assert.Equal(["v1", "v2", "v3"], harness.Datacenter.Hypervisor.Snapshot().VmsOn("h1").Select(v => v.Id).Order().ToArray());
        Assert.All(harness.Datacenter.Hypervisor.Snapshot().VmsOn("h1"), v => Assert.Equal(VmRunState.Running, harness.Datacenter.Hypervisor.GetStateAsync(v.Id, "h1", CancellationToken.None).GetAwaiter().GetResult()));
        var history = await harness.Journal.HistoryAsync(failed[0].Outcome.Target, CancellationToken.None);
        Assert.Equal([StepState.Started, StepState.Failed], history.Select(h => h.State).ToArray());
        Assert.Equal("kill-switch", harness.Automation.Status().State);

        var (resumed, message) = await harness.Automation.ResumeAsync(CancellationToken.None);
        Assert.False(resumed);
        Assert.Equal("the kill switch is engaged (bad firmware rollout); release it first: DELETE /api/v1/kill-switch", message);

        var (released, _) = harness.Automation.ReleaseKillSwitch();
        await harness.RunUntilAsync(harness.Start + TimeSpan.FromHours(1));
        Assert.True(released);
        Assert.Equal(3, harness.Recorder.MovesOff("h1").Count());
    }

    private static int Migrating(PipelineHarness harness) =>
        harness.Datacenter.Hypervisor.Snapshot().VmsOn("h1").Count(v => harness.Datacenter.Hypervisor.GetStateAsync(v.Id, "h1", CancellationToken.None).GetAwaiter().GetResult() == VmRunState.Migrating);
}
