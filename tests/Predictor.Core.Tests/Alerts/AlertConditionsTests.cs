using Predictor.Core.Alerts;

namespace Predictor.Core.Tests.Alerts;

public sealed class AlertConditionsTests
{
    [Theory]
    [InlineData(AlertConditions.HostPredictedToFail, AlertSeverity.Warning)]
    [InlineData(AlertConditions.EvacuationFailed, AlertSeverity.Critical)]
    [InlineData(AlertConditions.EvacuationStuck, AlertSeverity.Critical)]
    [InlineData(AlertConditions.MaintenanceStepFailed, AlertSeverity.Warning)]
    [InlineData(AlertConditions.PlanRejected, AlertSeverity.Critical)]
    [InlineData(AlertConditions.RolloutHalted, AlertSeverity.Critical)]
    [InlineData(AlertConditions.VmUnplaced, AlertSeverity.Critical)]
    [InlineData(AlertConditions.VmInterrupted, AlertSeverity.Warning)]
    [InlineData(AlertConditions.BlastRadiusGuardTripped, AlertSeverity.Critical)]
    [InlineData(AlertConditions.TelemetryStale, AlertSeverity.Warning)]
    [InlineData(AlertConditions.ModelLoadFailed, AlertSeverity.Critical)]
    [InlineData(AlertConditions.SpoolFull, AlertSeverity.Critical)]
    [InlineData(AlertConditions.TelemetryDeadLettered, AlertSeverity.Warning)]
    [InlineData("SomethingNew", AlertSeverity.Warning)]
    public void SeverityOf_Condition_SeverityByWhetherAHumanMustAct(string condition, AlertSeverity expected) =>
        Assert.Equal(expected, AlertConditions.SeverityOf(condition));

    [Fact]
    public void Raise_HostAlert_TakesTheTableSeverityAndAHostKey()
    {
        var alert = Alert.Raise(AlertConditions.VmUnplaced, "h1", "no room", DateTimeOffset.UnixEpoch);

        Assert.Equal(AlertSeverity.Critical, alert.Severity);
        Assert.Equal("VmUnplaced/h1", alert.DedupKey);
        Assert.Empty(alert.Details);
        Assert.False(alert.Resolved);
    }
}
