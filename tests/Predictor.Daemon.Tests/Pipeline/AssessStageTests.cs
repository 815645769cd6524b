using System.Collections.Frozen;
using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Risk;
using Predictor.Daemon.Models;
using Predictor.Daemon.Pipeline;
using Predictor.Learning.Rules;

namespace Predictor.Daemon.Tests.Pipeline;

public sealed class AssessStageTests
{
    [Fact]
    public void Run_HostsAboveTheRulesThreshold_AreNewlyAtRiskUnlessAlreadyQuarantined()
    {
        var quarantine = new QuarantineSet();
        quarantine.Add(Fleet.Risk("h3", 0.9));
        var stage = new AssessStage(ActiveRiskModel.Fixed(new RiskAssessorChoice(new RuleBasedRiskAssessor(new RuleAssessorOptions()), null), TimeProvider.System), null, quarantine, new RiskHistory(), new PipelineOptions { RiskThreshold = 0.5 }, new RiskOptions(), NullLogger.Instance);
        var pass = new PassContext(Fleet.Now, 0) { Inventory = Fleet.Inventory(3) };
        pass.Fresh.AddRange([Features("h1", reallocated: 0), Features("h2", reallocated: 400), Features("h3", reallocated: 400)]);

        stage.Run(pass);

        Assert.Equal(0.5, stage.Threshold);
        Assert.Equal(["h1", "h2", "h3"], pass.Assessments.Select(a => a.Host));
        Assert.Equal(["h2"], pass.NewlyAtRisk.Select(a => a.Host));
    }

    private static HostFeatures Features(string host, double reallocated) => new(host, Fleet.Now, Fleet.Now, new Dictionary<string, double>
    {
        [FeatureNames.SmartReallocatedMax] = reallocated,
        [FeatureNames.SmartReallocatedDelta3d] = reallocated,
    }.ToFrozenDictionary());
}
