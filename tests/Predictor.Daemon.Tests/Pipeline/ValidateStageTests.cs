using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Alerts;
using Predictor.Core.Plans;
using Predictor.Daemon.Pipeline;
using Predictor.Testing.Alerts;

namespace Predictor.Daemon.Tests.Pipeline;

public sealed class ValidateStageTests
{
    [Fact]
    public async Task RunAsync_PlanMovesAVmToAnUnknownHost_RejectsItAndPagesPlanRejected()
    {
        var alerts = new CollectingAlertPublisher();
        var inventory = Fleet.Inventory(2, "v1@h1");
        var pass = new PassContext(Fleet.Now, 0)
        {
            Inventory = inventory,
            Request = new PlanRequest(inventory, [new AtRiskHost("h1", null, 0.9)], [], new PlanLimits(), new PlanningOptions()),
            Plan = new MaintenancePlan { Migrations = [new MigrationStep("v1", "h1", "h9", MigrationKind.Live, 0, 30, 16, 100, "test")], AtRisk = ["h1"] },
        };

        await new ValidateStage(alerts, null, NullLogger.Instance).RunAsync(pass, CancellationToken.None);

        Assert.Null(pass.Plan);
        var alert = Assert.Single(alerts.Published);
        Assert.Equal((AlertConditions.PlanRejected, AlertSeverity.Critical, "PlanRejected"), (alert.Condition, alert.Severity, alert.DedupKey));
        Assert.StartsWith("A plan was rejected by the plan validator (", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoPlan_DoesNothing()
    {
        var alerts = new CollectingAlertPublisher();
        var pass = new PassContext(Fleet.Now, 0) { Inventory = Fleet.Inventory(1) };

        await new ValidateStage(alerts, null, NullLogger.Instance).RunAsync(pass, CancellationToken.None);

        Assert.Empty(alerts.Published);
    }
}
