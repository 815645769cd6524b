using System.Collections.Frozen;
using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Alerts;
using Predictor.Core.Risk;
using Predictor.Daemon.Features;
using Predictor.Learning.Rules;
using Predictor.Testing;

namespace Predictor.Daemon.Tests;

public sealed class RiskAssessorFactoryTests
{
    [Fact]
    public void Create_NoModelConfigured_UsesTheRules()
    {
        var choice = RiskAssessorFactory.Create(new RiskOptions { ModelPath = "" }, new RuleAssessorOptions(), new ManualTimeProvider(), NullLogger.Instance);

        Assert.Equal("rules", choice.Assessor.Name);
        Assert.Null(choice.LoadFailure);
    }

    [Fact]
    public void Create_DefaultOptions_LoadsTheShippedHostModel_WhichRanksADyingDiskAboveAQuietHost()
    {
        var now = new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

        var choice = RiskAssessorFactory.Create(new RiskOptions(), new RuleAssessorOptions(), new ManualTimeProvider(), NullLogger.Instance, HostFeatureComputer.WithDefaultDetectors().Names);

        var assessor = choice.Assessor;
        Assert.StartsWith("model host-failure.json", assessor.Name, StringComparison.Ordinal);
        Assert.Null(choice.LoadFailure);
        HostFeatures Host(string id, double reallocated, double growth) => new(id, now, now, new Dictionary<string, double>
        {
            [FeatureNames.SmartReallocatedMax] = reallocated,
            [FeatureNames.SmartReallocatedDelta3d] = growth,
            [FeatureNames.SmartPendingMax] = reallocated / 4,
            [FeatureNames.SmartPendingDelta3d] = growth / 4,
            [FeatureNames.CpuTemperatureLast] = 55,
            [FeatureNames.FanSpeedMin] = 8000,
            [FeatureNames.PsuOkMin] = 1,
        }.ToFrozenDictionary());
        var scores = assessor.Assess([Host("dying", 400, 380), Host("quiet", 0, 0)], now);
        Assert.True(scores[0].Probability > scores[1].Probability, $"dying {scores[0].Probability}, quiet {scores[1].Probability}");
        // only assessments someone may act on carry (costly) TreeSHAP evidence
        Assert.All(scores, a => Assert.Equal(a.Probability >= 0.5, !a.Evidence.IsEmpty));
    }

    [Fact]
    public void Create_MissingModelFile_FallsBackToRulesAndRaisesModelLoadFailed()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "missing-model.json");

        var choice = RiskAssessorFactory.Create(new RiskOptions { ModelPath = path }, new RuleAssessorOptions(), new ManualTimeProvider(), NullLogger.Instance);

        Assert.Equal("rules", choice.Assessor.Name);
        var alert = Assert.IsType<Alert>(choice.LoadFailure);
        Assert.Equal(AlertConditions.ModelLoadFailed, alert.Condition);
        Assert.Equal(AlertSeverity.Critical, alert.Severity);
        Assert.Contains(path, alert.Summary, StringComparison.Ordinal);
    }
}
