using Predictor.Core.Inventory;
using Predictor.Core.Risk;
using Predictor.Daemon.State;
using Predictor.Daemon.Tests.Support;

namespace Predictor.Daemon.Tests;

/// <summary>
/// How a quarantined host leaves the quarantine besides an operator's release: a recorded repair followed by enough clean
/// assessments in a row, or a decommission (then it never takes a VM again and is emptied).
/// </summary>
public sealed class QuarantineLifecycleTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-lifecycle-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RecordRepair_HostHealthyAfterwards_IsReleasedAfterTheConfiguredCleanAssessmentsAndNotBefore()
    {
        using var state = new SqliteDaemonStateStore(Path.Combine(_directory, "state.db"));
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory(), new PipelineOptions { CleanAssessmentsToRelease = 3 }, state: state);
        harness.Datacenter.DiskPrecursor("h1", harness.Start);
        await harness.RunUntilAsync(harness.Start + TimeSpan.FromHours(1));
        Assert.Contains("h1", harness.Pipeline.Quarantined);

        // the disk was replaced, but nobody said so: clean telemetry alone releases nothing
        harness.Datacenter.Repair("h1");
        await harness.RunUntilAsync(harness.Clock.GetUtcNow() + TimeSpan.FromHours(2));
        Assert.Contains("h1", harness.Pipeline.Quarantined);

        var repair = harness.Pipeline.RecordRepair("h1", "disk replaced, RMA 12", "operators");
        Assert.NotNull(repair);
        await harness.RunUntilAsync(harness.Clock.GetUtcNow() + harness.Options.Interval * 2);
        Assert.Contains("h1", harness.Pipeline.Quarantined);
        Assert.Equal(2, harness.Pipeline.Quarantine.Repairs()["h1"].CleanAssessments);

        await harness.RunUntilAsync(harness.Clock.GetUtcNow() + harness.Options.Interval);

        Assert.DoesNotContain("h1", harness.Pipeline.Quarantined);
        Assert.StartsWith("repaired (disk replaced, RMA 12, recorded by operators at ", harness.Pipeline.Quarantine.Released()["h1"].Reason, StringComparison.Ordinal);
        Assert.EndsWith(") and 3 clean assessments since", harness.Pipeline.Quarantine.Released()["h1"].Reason, StringComparison.Ordinal);
        // the repair is kept with its outcome, for the outcome log to join
        var kept = Assert.Single(state.Repairs());
        Assert.Equal((3, harness.Clock.GetUtcNow() - harness.Options.Interval), (kept.CleanAssessments, kept.ReleasedAt));
    }

    [Fact]
    public async Task RecordRepair_HostStillFailing_StaysQuarantinedAndItsCountStartsOver()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory(), new PipelineOptions { CleanAssessmentsToRelease = 2 });
        harness.Datacenter.DiskPrecursor("h1", harness.Start);
        await harness.RunUntilAsync(harness.Start + TimeSpan.FromHours(1));

        harness.Pipeline.RecordRepair("h1", "reseated the disk", "operators");
        await harness.RunUntilAsync(harness.Clock.GetUtcNow() + TimeSpan.FromHours(2));

        Assert.Contains("h1", harness.Pipeline.Quarantined);
        Assert.Equal(0, harness.Pipeline.Quarantine.Repairs()["h1"].CleanAssessments);
        Assert.Null(harness.Pipeline.RecordRepair("h2", "h2 was never quarantined", "operators"));
    }

    [Fact]
    public async Task Decommission_QuarantinedHostWithVms_LeavesTheQuarantineTakesNoVmAndIsEmptied()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory());
        harness.Datacenter.DiskPrecursor("h2", harness.Start - TimeSpan.FromDays(1));
        harness.Executor.Paused = true;
        await harness.RunUntilAsync(harness.Start + TimeSpan.FromMinutes(10));
        Assert.Contains("h2", harness.Pipeline.Quarantined);

        Assert.True(harness.Pipeline.Decommission("h2", "end of life, ticket 9", "operators"));
        Assert.False(harness.Pipeline.Decommission("h2", "twice", "operators"));
        harness.Executor.Paused = false;
        await harness.RunUntilAsync(harness.Clock.GetUtcNow() + TimeSpan.FromHours(2));

        Assert.DoesNotContain("h2", harness.Pipeline.Quarantined);
        Assert.Equal("end of life, ticket 9", harness.Pipeline.Quarantine.Decommissioned()["h2"].Reason);
        Assert.Equal(HostState.Decommissioned, harness.Pipeline.Quarantine.StatesOver(harness.Datacenter.Inventory())["h2"]);
        // v4 moved off; v5 cannot live-migrate, and is never silently stopped
        Assert.DoesNotContain(harness.Datacenter.Inventory().VmsOn("h2"), v => v.LiveMigratable);
        Assert.All(harness.Snapshots, snapshot => Assert.DoesNotContain(snapshot.Vms, v => v.Host == "h2" && v.Id is not ("v4" or "v5")));
        // the evidence that flagged it no longer quarantines it: it is gone for good
        Assert.False(harness.Pipeline.Quarantine.Add(new RiskAssessment("h2", harness.Clock.GetUtcNow(), 0.99, TimeSpan.FromDays(1), null, [], "test")));
    }
}
