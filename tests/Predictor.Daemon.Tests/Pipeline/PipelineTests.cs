using Predictor.Core.Alerts;
using Predictor.Core.Plans;
using Predictor.Execution.Journal;
using Predictor.Daemon.Tests.Support;

namespace Predictor.Daemon.Tests;

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
            new HostUpdate("h4", "u1", UpdateKind.HostComponent), // update domain 0; its gpu VM cannot stay paused, so it leaves live first
            new HostUpdate("h6", "u1", UpdateKind.HotPatchable),  // update domain 0, empty → hot patch
            new HostUpdate("h1", "u2", UpdateKind.HostComponent), // update domain 1, all VMs capable → memory-preserving
            new HostUpdate("h3", "u3", UpdateKind.Reboot),        // update domain 1, its VM leaves live, then the empty host reboots
        ]);

        await harness.RunUntilAsync(harness.Start + TimeSpan.FromMinutes(30));

        Assert.Equal([("h4", MaintenanceAction.MemoryPreserving), ("h6", MaintenanceAction.HotPatch), ("h1", MaintenanceAction.MemoryPreserving), ("h3", MaintenanceAction.LiveMigration)], harness.Recorder.LadderDecisions.ToList());
        var steps = harness.Recorder.Steps.ToList();
        Assert.All(steps, s => Assert.True(s.Outcome.Succeeded, s.Outcome.Message));
        Assert.Equal(["v6", "v7"], steps.Where(s => s.Outcome.Kind == StepKind.LiveMigration).Select(s => s.Outcome.Target).Order());
        Assert.Contains(steps, s => s.Outcome.Kind == StepKind.HostUpdate && s.Outcome.Target == "h3");
        var h1 = Assert.Single(steps, s => s.Outcome.Kind == StepKind.MemoryPreserving && s.Outcome.Target == "h1");
        Assert.InRange(h1.Outcome.Blackout.TotalSeconds, 8, 30);
        Assert.Equal("3 VMs paused and resumed", h1.Outcome.Message);

        // update domain 1 starts only once every host step of update domain 0 has ended
        var hostSteps = steps.Where(s => s.Outcome.Kind is StepKind.HotPatch or StepKind.MemoryPreserving or StepKind.HostUpdate).ToList();
        var domain0End = hostSteps.Where(s => s.Outcome.Target is "h4" or "h6").Max(s => s.At);
        Assert.All(hostSteps.Where(s => s.Outcome.Target is "h1" or "h3"), s => Assert.True(s.At - s.Outcome.Duration >= domain0End));
        Assert.Equal(0, harness.Pipeline.PendingUpdateCount);
        Assert.All(harness.Snapshots[^1].Vms, v => Assert.Equal(Predictor.Core.Hypervisors.VmRunState.Running, harness.Datacenter.Hypervisor.GetStateAsync(v.Id, v.Host, default).Result));
    }

    [Fact]
    public async Task RunPass_UpdateFailsTwice_StopsTheRolloutUntilCleared()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory(), updates:
        [
            new HostUpdate("h4", "u1", UpdateKind.HostComponent),
            new HostUpdate("h3", "u2", UpdateKind.HostComponent),
        ]);
        harness.Updater.Fail("h4", "post-update health check failed: ipmi sel shows uncorrectable errors");

        await harness.RunUntilAsync(harness.Start + TimeSpan.FromMinutes(30));

        Assert.Equal(["h4"], harness.Pipeline.RolloutHaltedBy);
        Assert.Equal(2, harness.Updater.Calls.Count(c => c == "h4"));
        Assert.DoesNotContain("h3", harness.Updater.Calls);
        var page = Assert.Single(harness.Alerts.Published, a => a.Details.GetValueOrDefault("action") == "rollout-halted");
        Assert.Equal(AlertSeverity.Critical, page.Severity);
        Assert.StartsWith("The update of host h4 failed 2 times (last: post-update health check failed", page.Summary, StringComparison.Ordinal);

        harness.Updater.Fail("h4", null);
        Assert.Equal(["h4"], harness.Pipeline.ClearRolloutHalt());
        await harness.RunUntilAsync(harness.Clock.GetUtcNow() + TimeSpan.FromMinutes(30));

        Assert.Empty(harness.Pipeline.RolloutHaltedBy);
        Assert.Equal(0, harness.Pipeline.PendingUpdateCount);
        Assert.Equal(["h4", "h4", "h4", "h3"], harness.Updater.Calls);
    }

    [Fact]
    public async Task RunPass_AtRiskHostStillFullAfterAnHour_PagesEvacuationStuckOnce()
    {
        var hosts = Enumerable.Range(1, 3).Select(i => new Predictor.Core.Inventory.Host($"h{i}", $"r{i}", i, 0, 4, 32, 256, 2000, 25)).ToList();
        var inventory = Predictor.Core.Inventory.DatacenterInventory.Create("test", hosts,
        [
            new Predictor.Core.Inventory.Vm("big", "h1", 16, 250, 50, "memory", 50, true, true),
            new Predictor.Core.Inventory.Vm("small", "h2", 2, 8, 50, "general", 10, true, true),
        ]);
        await using var harness = new PipelineHarness(inventory);
        harness.Datacenter.DiskPrecursor("h1", harness.Start);

        await harness.RunUntilAsync(harness.Start + TimeSpan.FromHours(3));

        Assert.True(harness.Recorder.Flagged.ContainsKey("h1"));
        var stuck = Assert.Single(harness.Alerts.Published, a => a.Condition == AlertConditions.EvacuationStuck);
        Assert.Equal((AlertSeverity.Critical, "h1", false), (stuck.Severity, stuck.Host, stuck.Resolved));
        Assert.True(stuck.At - harness.Recorder.Flagged["h1"].AssessedAt >= TimeSpan.FromHours(1));
        Assert.Contains("still holds 1 VMs; big: ", stuck.Summary, StringComparison.Ordinal);
        Assert.Contains("no host can take it", stuck.Summary, StringComparison.Ordinal);
        Assert.Equal("big", stuck.Details["vms"]);
    }
}
