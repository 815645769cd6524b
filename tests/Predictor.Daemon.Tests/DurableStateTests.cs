using Predictor.Core.Plans;
using Predictor.Daemon.Automation;
using Predictor.Daemon.Pipeline;
using Predictor.Execution.Journal;
using Predictor.Daemon.State;
using Predictor.Daemon.Tests.Support;

namespace Predictor.Daemon.Tests;

/// <summary>A restarted daemon neither lifts a quarantine, forgets a release, nor resumes a paused fleet.</summary>
public sealed class DurableStateTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-state-").FullName;

    private string StatePath => Path.Combine(_directory, "predictor-state.db");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Restart_QuarantinedAndReleasedHosts_AreAsTheyWereWithTheirAssessments()
    {
        using (var state = new SqliteDaemonStateStore(StatePath))
        {
            await using var first = new PipelineHarness(ScriptedDatacenter.SmallInventory(), state: state);
            first.Datacenter.DiskPrecursor("h1", first.Start);
            first.Datacenter.DiskPrecursor("h3", first.Start);
            await first.RunUntilAsync(first.Start + TimeSpan.FromHours(1));
            Assert.Equal(["h1", "h3"], first.Pipeline.Quarantined.Order());
            first.Pipeline.Release("h3", "disks replaced, RMA 12");
        }

        using var reopened = new SqliteDaemonStateStore(StatePath);
        await using var second = new PipelineHarness(ScriptedDatacenter.SmallInventory(), state: reopened);

        var flagged = Assert.Single(second.Pipeline.Quarantine.Snapshot());
        Assert.Equal("h1", flagged.Key);
        Assert.Contains(flagged.Value.Evidence, e => e.Signal == "smart_5_raw");
        Assert.Equal("disks replaced, RMA 12", second.Pipeline.Quarantine.Released()["h3"].Reason);
        // the restored quarantine keeps the host out of placement at once, before any pass
        Assert.Equal(Core.Inventory.HostState.Quarantined, second.Pipeline.Quarantine.StatesOver(second.Datacenter.Inventory())["h1"]);
    }

    [Fact]
    public void Quarantine_EvidenceBeyondDoubleRange_IsSavedAndReadBack()
    {
        // a streaming detector's change-point martingale can grow past double's range; JSON has no number for it, and the
        // store once refused it, which failed every pass that quarantined such a host
        var assessment = new Core.Risk.RiskAssessment("h1", new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero), 0.9995, TimeSpan.FromHours(48), null,
            [new Core.Risk.Evidence("mem_ce_total.cp_martingale", null, double.PositiveInfinity, "change point in correctable errors", double.PositiveInfinity)], "gbdt");
        using (var state = new SqliteDaemonStateStore(StatePath))
        {
            state.SaveQuarantine(assessment);
        }

        using var reopened = new SqliteDaemonStateStore(StatePath);
        var evidence = Assert.Single(Assert.Single(reopened.Quarantined()).Evidence);
        Assert.Equal((double.PositiveInfinity, double.PositiveInfinity), (evidence.Value, evidence.Weight));
    }

    [Fact]
    public async Task Restart_PausedByAnOperator_StaysPausedUntilResumed()
    {
        using (var state = new SqliteDaemonStateStore(StatePath))
        {
            await using var first = new PipelineHarness(ScriptedDatacenter.SmallInventory(), guard: new BlastRadiusOptions(), state: state);
            first.Automation!.Pause("change freeze until Monday");
        }

        using (var state = new SqliteDaemonStateStore(StatePath))
        {
            await using var second = new PipelineHarness(ScriptedDatacenter.SmallInventory(), guard: new BlastRadiusOptions(), state: state);
            var status = second.Automation!.Status();
            Assert.Equal(("paused", "change freeze until Monday"), (status.State, status.Pause?.Reason));
            Assert.True(second.Executor.Paused);
            Assert.True((await second.Automation.ResumeAsync(CancellationToken.None)).Resumed);
        }

        using var third = new SqliteDaemonStateStore(StatePath);
        Assert.Null(third.Pause());
    }

    [Fact]
    public async Task Restart_AppliedUpdates_AreNotAppliedAgain()
    {
        HostUpdate[] updates = [new("h1", "kp-1", UpdateKind.HotPatchable), new("h2", "kp-1", UpdateKind.HotPatchable), new("h4", "kp-1", UpdateKind.HotPatchable)];
        using (var state = new SqliteDaemonStateStore(StatePath))
        {
            await using var first = new PipelineHarness(ScriptedDatacenter.SmallInventory(), updates: updates, state: state);
            await first.RunUntilAsync(first.Start + TimeSpan.FromHours(1));
            Assert.Equal(0, first.Pipeline.PendingUpdateCount);
            Assert.Equal(3, first.Recorder.Steps.Count(s => s.Outcome.Kind == StepKind.HotPatch));
        }

        using var reopened = new SqliteDaemonStateStore(StatePath);
        // the datacenter still lists the same updates (its file was not edited), plus a new one for h1
        await using var second = new PipelineHarness(ScriptedDatacenter.SmallInventory(), updates: [.. updates.Skip(1), new("h1", "kp-2", UpdateKind.HotPatchable)], state: reopened);
        Assert.Equal(1, second.Pipeline.PendingUpdateCount);
        await second.RunUntilAsync(second.Start + TimeSpan.FromHours(1));

        Assert.Equal(["h1"], second.Recorder.Steps.Where(s => s.Outcome.Kind == StepKind.HotPatch).Select(s => s.Outcome.Target));
    }

    [Fact]
    public void Restore_RecordsOfThisAndOtherUpdates_TakesBackOnlyThoseOfTheUpdatesStillListed()
    {
        var windowEnd = new DateTimeOffset(2026, 3, 15, 0, 0, 0, TimeSpan.Zero);
        var rollout = new Rollout([new HostUpdate("h1", "a", UpdateKind.Reboot), new HostUpdate("h2", "a", UpdateKind.Reboot), new HostUpdate("h3", "b", UpdateKind.Reboot), new HostUpdate("h4", "a", UpdateKind.Reboot)]);
        var recorded = new List<RolloutRecord>();

        rollout.Restore(
        [
            new("h1", "a", RolloutState.Applied, null), new("h2", "a", RolloutState.Halted, null), new("h3", "old", RolloutState.Applied, null),
            new("h4", "a", RolloutState.WithOwners, windowEnd),
        ]);
        rollout.Changed = recorded.Add;
        rollout.ClearHealthFailures();

        Assert.Equal(3, rollout.PendingCount); // h1 is done; h3's record is of an earlier update
        Assert.Equal(windowEnd, rollout.WithOwners["h4"]);
        Assert.Equal([new RolloutRecord("h2", "", RolloutState.Pending, null)], recorded);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Open_NewStateFile_IsOwnerOnly()
    {
        using var state = new SqliteDaemonStateStore(StatePath);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(StatePath));
    }
}
