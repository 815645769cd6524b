using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Alerts;
using Predictor.Daemon.Pipeline;
using Predictor.Execution.Journal;
using Predictor.Testing.Alerts;

namespace Predictor.Daemon.Tests.Pipeline;

public sealed class NotifyStageTests
{
    private readonly CollectingAlertPublisher _alerts = new();
    private readonly QuarantineSet _quarantine = new();

    [Fact]
    public async Task RunAsync_FailedMoveOffAQuarantinedHost_PagesEvacuationFailed()
    {
        _quarantine.Add(Fleet.Risk("h1", 0.95));
        var pass = Pass(Fleet.Failed(StepKind.LiveMigration, "v1", "h1", "destination refused"));

        await Stage().RunAsync(pass, CancellationToken.None);

        var alert = Assert.Single(_alerts.Published);
        Assert.Equal((AlertConditions.EvacuationFailed, AlertSeverity.Critical, "EvacuationFailed/h1"), (alert.Condition, alert.Severity, alert.DedupKey));
        Assert.Equal("LiveMigration of v1 from h1 failed: destination refused; it will be planned again on the next pass", alert.Summary);
    }

    [Fact]
    public async Task RunAsync_FailedUpdateOfAHealthyHost_WarnsMaintenanceStepFailed()
    {
        var pass = Pass(Fleet.Failed(StepKind.MemoryPreserving, "h2", "h2", "updater exited 1"));

        await Stage().RunAsync(pass, CancellationToken.None);

        var alert = Assert.Single(_alerts.Published);
        Assert.Equal((AlertConditions.MaintenanceStepFailed, AlertSeverity.Warning), (alert.Condition, alert.Severity));
        Assert.Equal("MemoryPreserving of h2 from h2 failed: updater exited 1", alert.Summary);
    }

    [Fact]
    public async Task RunAsync_RolloutHalted_PagesRolloutHaltedApartFromStepFailures()
    {
        var failed = Fleet.Failed(StepKind.HostUpdate, "h2", "h2", "reboot hung");
        var pass = Pass(failed);
        pass.RolloutHalts.Add(("h2", failed));

        await Stage().RunAsync(pass, CancellationToken.None);

        Assert.Equal([AlertConditions.MaintenanceStepFailed, AlertConditions.RolloutHalted], _alerts.Published.Select(a => a.Condition));
        Assert.Equal(AlertSeverity.Critical, _alerts.Published.ElementAt(1).Severity);
    }

    [Fact]
    public async Task RunAsync_ModelAlertsOfThePass_ArePublished()
    {
        var failure = Alert.Raise(AlertConditions.ModelLoadFailed, null, "model missing", Fleet.Now);
        var pass = Pass();
        pass.ModelAlerts = [failure];

        await Stage().RunAsync(pass, CancellationToken.None);
        await Stage().RunAsync(Pass(), CancellationToken.None);

        Assert.Same(failure, Assert.Single(_alerts.Published));
    }

    private NotifyStage Stage() => new(
        _quarantine, new EvacuationWatch(TimeSpan.FromHours(1)), new InterruptionWatch(), _alerts, NullLogger.Instance);

    private static PassContext Pass(params Predictor.Execution.Executor.ExecutionOutcome[] finished) =>
        new(Fleet.Now, 0) { Inventory = Fleet.Inventory(2, "v1@h1"), Finished = finished };
}
