using Predictor.Core.Alerts;
using Predictor.Core.Plans;
using Predictor.Execution.Journal;

namespace Predictor.Tests.Daemon;

public sealed class PipelineTests
{
    [Fact]
    public async Task RunPass_DiskWithThreeDayPrecursor_IsPredictedAndEvacuatedBeforeItFails()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory());
        var failure = harness.Start + TimeSpan.FromDays(3);
        harness.Datacenter.DiskPrecursor("h1", failure - TimeSpan.FromDays(3));
        harness.FailAt("h1", failure);

        await harness.RunUntilAsync(failure + TimeSpan.FromHours(1));

        var flag = harness.Recorder.Flagged["h1"];
        Assert.True(flag.AssessedAt < failure - TimeSpan.FromDays(2), $"flagged at {flag.AssessedAt}, failure at {failure}");
        Assert.Contains(flag.Evidence, e => e.Signal == "smart_5_raw");
        var moves = harness.Recorder.MovesOff("h1").ToList();
        Assert.Equal(["v1", "v2", "v3"], moves.Select(m => m.Outcome.Target).Order().ToArray());
        Assert.All(moves, m => Assert.True(m.At < failure));
        var (_, _, interrupted) = Assert.Single(harness.Recorder.Failures);
        Assert.Empty(interrupted);
        Assert.Contains(harness.Alerts.Published, a => a.Condition == AlertConditions.HostPredictedToFail && a.Host == "h1");
    }

    [Fact]
    public async Task RunPass_FailureWithNoPrecursor_CountsItsVmsAsInterrupted()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory());
        var failure = harness.Start + TimeSpan.FromHours(10);
        harness.FailAt("h2", failure);

        await harness.RunUntilAsync(failure + TimeSpan.FromHours(1));

        Assert.False(harness.Recorder.Flagged.ContainsKey("h2"));
        var (host, at, interrupted) = Assert.Single(harness.Recorder.Failures);
        Assert.Equal("h2", host);
        Assert.Equal(failure, at);
        Assert.Equal(["v4", "v5"], interrupted.Order().ToArray());
    }

    [Fact]
    public async Task RunPass_NeverPlacesOverCapacityOrOntoAtRiskHosts()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory());
        harness.Datacenter.DiskPrecursor("h1", harness.Start);
        harness.Datacenter.DiskPrecursor("h3", harness.Start + TimeSpan.FromHours(2));

        await harness.RunUntilAsync(harness.Start + TimeSpan.FromHours(6));

        Assert.Equal(["h1", "h3"], harness.Recorder.Flagged.Keys.Order().ToArray());
        var moves = harness.Recorder.Steps.Where(s => s.Outcome.Kind is StepKind.LiveMigration or StepKind.ColdMigration).ToList();
        Assert.NotEmpty(moves);
        // no VM ever went to a host that was already flagged when the move finished
        Assert.All(moves, m => Assert.False(
            harness.Recorder.Flagged.TryGetValue(m.Outcome.To!, out var flag) && flag.AssessedAt <= m.At,
            $"{m.Outcome.Target} moved onto {m.Outcome.To} at {m.At} after it was flagged"));
        foreach (var snapshot in harness.Snapshots)
        {
            foreach (var host in snapshot.Hosts)
            {
                Assert.True(snapshot.VmsOn(host.Id).Sum(v => v.MemoryGiB) <= host.MemoryGiB);
                Assert.True(snapshot.VmsOn(host.Id).Sum(v => v.Vcpus) <= host.Cores * 2);
            }
        }

        var final = harness.Snapshots[^1];
        Assert.Empty(final.VmsOn("h1"));
        Assert.Empty(final.VmsOn("h3"));
        // the gpu VM on h4 could not live-migrate anyway; anti-affinity group "web" stays on distinct fault domains
        var web = final.Vms.Where(v => v.AntiAffinityGroup == "web").Select(v => final.GetHost(v.Host).FaultDomain).ToList();
        Assert.Equal(web.Count, web.Distinct().Count());
    }

    [Fact]
    public async Task RunPass_StaleHost_IsNeverAssessedOrEvacuated()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory());
        harness.Datacenter.Dead.Add("h1"); // telemetry stops, but the host still runs its VMs
        harness.Datacenter.DiskPrecursor("h1", harness.Start - TimeSpan.FromDays(1));

        await harness.RunUntilAsync(harness.Start + TimeSpan.FromHours(2));

        Assert.False(harness.Recorder.Flagged.ContainsKey("h1"));
        Assert.Empty(harness.Recorder.MovesOff("h1"));
        // one host of six (17%) is stale, above the 10% share: told once, not every pass
        var stale = Assert.Single(harness.Alerts.Published, a => a.Condition == AlertConditions.TelemetryStale);
        Assert.Equal("1 of 6 hosts (17%) have no telemetry newer than 00:20:00; they are not assessed until it returns", stale.Summary);
    }

    [Fact]
    public async Task RunPass_PendingUpdates_WalkTheLadderOneUpdateDomainAtATime()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory(), updates:
        [
            new HostUpdate("h3", "u1", UpdateKind.HostComponent), // update domain 1, all VMs capable → memory-preserving
            new HostUpdate("h4", "u1", UpdateKind.HostComponent), // update domain 0, a gpu VM → self-service window
            new HostUpdate("h6", "u1", UpdateKind.HotPatchable),  // update domain 0 → hot patch
        ]);

        await harness.RunUntilAsync(harness.Start + TimeSpan.FromMinutes(30));

        var decisions = harness.Recorder.LadderDecisions.ToList();
        Assert.Equal([("h4", "SelfService"), ("h6", "HotPatch"), ("h3", "MemoryPreserving")], decisions);
        var memoryPreserving = Assert.Single(harness.Recorder.Steps, s => s.Outcome.Kind == StepKind.MemoryPreserving);
        Assert.True(memoryPreserving.Outcome.Succeeded);
        Assert.InRange(memoryPreserving.Outcome.Blackout.TotalSeconds, 8, 30);
        Assert.Equal(0, harness.Pipeline.PendingUpdateCount);
        Assert.All(harness.Snapshots[^1].Vms, v => Assert.Equal(Predictor.Core.Hypervisors.VmRunState.Running, harness.Datacenter.Hypervisor.GetStateAsync(v.Id, v.Host, default).Result));
    }
}
