using Predictor.Core.Alerts;

namespace Predictor.Notifications.Tests;

public sealed class ConditionSeverityTests
{
    [Theory]
    [InlineData(AlertConditions.HostPredictedToFail, AlertSeverity.Warning)]
    [InlineData(AlertConditions.EvacuationFailed, AlertSeverity.Critical)]
    [InlineData(AlertConditions.EvacuationStuck, AlertSeverity.Critical)]
    [InlineData(AlertConditions.VmUnplaced, AlertSeverity.Critical)]
    [InlineData(AlertConditions.VmInterrupted, AlertSeverity.Warning)]
    [InlineData(AlertConditions.BlastRadiusGuardTripped, AlertSeverity.Critical)]
    [InlineData(AlertConditions.TelemetryStale, AlertSeverity.Warning)]
    [InlineData(AlertConditions.ModelLoadFailed, AlertSeverity.Critical)]
    [InlineData(AlertConditions.SpoolFull, AlertSeverity.Critical)]
    [InlineData("SomethingNew", AlertSeverity.Warning)]
    public void Default_Condition_SeverityByWhetherAHumanMustAct(string condition, AlertSeverity expected) =>
        Assert.Equal(expected, ConditionSeverity.Default(condition));
}
