using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Alerts;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Core.Risk;
using Predictor.Daemon.Pipeline;
using Predictor.Testing.Alerts;

namespace Predictor.Daemon.Tests.Pipeline;

public sealed class QuarantineStageTests
{
    [Fact]
    public async Task RunAsync_NewlyAtRisk_QuarantinedDroppedFromTheRolloutToldAndAlerted()
    {
        var alerts = new CollectingAlertPublisher();
        var quarantine = new QuarantineSet();
        var rollout = new Rollout([new HostUpdate("h1", "u1", UpdateKind.Reboot)]);
        var observer = new FlagObserver();
        var pass = new PassContext(Fleet.Now, 0) { Inventory = Fleet.Inventory(2, "v1@h1", "v2@h1"), NewlyAtRisk = [Fleet.Risk("h1", 0.97)] };

        await new QuarantineStage(quarantine, rollout, null, [observer], alerts, NullLogger.Instance).RunAsync(pass, CancellationToken.None);

        Assert.True(quarantine.Contains("h1"));
        Assert.Equal(0, rollout.PendingCount);
        Assert.Equal(["h1"], observer.Flagged);
        Assert.Equal(HostState.Quarantined, pass.Inventory.GetHost("h1").State);
        Assert.False(pass.AutomationStopped);
        var alert = Assert.Single(alerts.Published);
        Assert.Equal((AlertConditions.HostPredictedToFail, "HostPredictedToFail/h1", AlertSeverity.Warning), (alert.Condition, alert.DedupKey, alert.Severity));
        Assert.Equal("Host h1 predicted to fail (p=0.97 within 2 d): smart_5_raw.max = 400. Evacuating 2 VMs.", alert.Summary);
    }

    private sealed class FlagObserver : IPassObserver
    {
        public List<string> Flagged { get; } = [];

        public void HostFlagged(RiskAssessment assessment) => Flagged.Add(assessment.Host);

        public void VmUnplaced(string vm, string reason)
        {
        }

        public void LadderDecision(string host, MaintenanceAction action)
        {
        }
    }
}
