using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Alerts;
using Predictor.Daemon;
using Predictor.Learning.Rules;
using Predictor.Testing;

namespace Predictor.Tests.Daemon;

public sealed class RiskAssessorFactoryTests
{
    [Fact]
    public void Create_NoModelConfigured_UsesTheRules()
    {
        var alerts = new PipelineHarness.CollectingAlerts();

        var assessor = RiskAssessorFactory.Create(new RiskOptions(), new RuleAssessorOptions(), alerts, new ManualTimeProvider(), NullLogger.Instance);

        Assert.Equal("rules", assessor.Name);
        Assert.Empty(alerts.Published);
    }

    [Fact]
    public void Create_MissingModelFile_FallsBackToRulesAndRaisesModelLoadFailed()
    {
        var alerts = new PipelineHarness.CollectingAlerts();
        var path = Path.Combine(AppContext.BaseDirectory, "missing-model.json");

        var assessor = RiskAssessorFactory.Create(new RiskOptions { ModelPath = path }, new RuleAssessorOptions(), alerts, new ManualTimeProvider(), NullLogger.Instance);

        Assert.Equal("rules", assessor.Name);
        var alert = Assert.Single(alerts.Published);
        Assert.Equal(AlertConditions.ModelLoadFailed, alert.Condition);
        Assert.Equal(AlertSeverity.Critical, alert.Severity);
        Assert.Contains(path, alert.Summary, StringComparison.Ordinal);
    }
}
