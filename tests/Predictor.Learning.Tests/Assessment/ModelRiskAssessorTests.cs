using System.Collections.Frozen;
using Predictor.Core.Risk;
using Predictor.Learning.Assessment;
using Predictor.Learning.Models;
using Predictor.Learning.Tests.Models;

namespace Predictor.Learning.Tests.Assessment;

public class ModelRiskAssessorTests
{
    private static readonly string[] HostFeatureNames =
        [FeatureNames.SmartReallocatedMax, FeatureNames.SmartPendingMax, FeatureNames.CpuTemperatureLast, FeatureNames.FanSpeedMin];

    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Assess_HostFeatures_ProbabilityFromTheModelAndEvidenceFromContributions()
    {
        var model = ModelFileTests.Trained(HostFeatureNames);
        var path = Synthetic.TempFile(ModelFile.ToJson(model), ".json");
        var assessor = ModelRiskAssessor.Load(path, evidence: 2);
        var host = new HostFeatures("h1", Now, Now, new Dictionary<string, double>
        {
            [FeatureNames.SmartReallocatedMax] = 0.9, [FeatureNames.SmartPendingMax] = 0.1, [FeatureNames.CpuTemperatureLast] = 0.8,
        }.ToFrozenDictionary());

        var assessment = Assert.Single(assessor.Assess([host], Now));

        float[] row = [0.9f, 0.1f, 0.8f, float.NaN];
        Assert.Equal(model.Probability(row), assessment.Probability, 12);
        Assert.Equal(TimeSpan.FromHours(24), assessment.Horizon);
        Assert.Equal(Now, assessment.AssessedAt);
        Assert.Equal(2, assessment.Evidence.Length);
        var (contributions, _) = model.Explain(row);
        var strongest = Enumerable.Range(0, 4).OrderByDescending(f => Math.Abs(contributions[f])).First();
        var evidence = assessment.Evidence[0];
        Assert.Equal(HostFeatureNames[strongest], evidence.Signal);
        Assert.Equal(contributions[strongest], evidence.Weight, 12);
        var verb = contributions[strongest] > 0 ? "raised" : "lowered";
        Assert.StartsWith($"{HostFeatureNames[strongest]} = ", evidence.Description, StringComparison.Ordinal);
        Assert.Contains($" {verb} risk by ", evidence.Description, StringComparison.Ordinal);
        Assert.StartsWith("model ", assessor.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ClearError()
    {
        var ex = Assert.Throws<LearningInputException>(() => ModelRiskAssessor.Load("/nonexistent/host-model.json"));

        Assert.Equal("/nonexistent/host-model.json: model file not found", ex.Message);
    }

    [Fact]
    public void Load_ModelOfOtherFeatures_NamesTheUnknownFeatures()
    {
        var path = Synthetic.TempFile(ModelFile.ToJson(ModelFileTests.Trained(["smart_5_raw", FeatureNames.SmartPendingMax, "x2", "x3"])), ".json");

        var ex = Assert.Throws<LearningInputException>(() => ModelRiskAssessor.Load(path));

        Assert.StartsWith($"{path}: the model uses 3 feature(s) that are not computed for hosts: 'smart_5_raw', 'x2', 'x3'; {FeatureNames.All.Count} host features are computed (README, \"Signals and features\"), e.g. smart_5_raw.max, ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ModelOfDetectorFeatures_LoadsWhenTheCallerComputesThemAndScoresThem()
    {
        string[] names = [FeatureNames.SmartReallocatedMax, "mem_ce_total.cp_martingale", "fan_rpm.spike_score", FeatureNames.HostObservedHours];
        var model = ModelFileTests.Trained(names);
        var path = Synthetic.TempFile(ModelFile.ToJson(model), ".json");
        string[] computed = [.. FeatureNames.All, "mem_ce_total.cp_martingale", "fan_rpm.spike_score"];
        var host = new HostFeatures("h1", Now, Now, new Dictionary<string, double>
        {
            ["mem_ce_total.cp_martingale"] = 0.7, ["fan_rpm.spike_score"] = 0.2, [FeatureNames.HostObservedHours] = 0.4,
        }.ToFrozenDictionary());

        var assessment = Assert.Single(ModelRiskAssessor.Load(path, computed).Assess([host], Now));
        var windowsOnly = Assert.Throws<LearningInputException>(() => ModelRiskAssessor.Load(path));

        Assert.Equal(model.Probability([float.NaN, 0.7f, 0.2f, 0.4f]), assessment.Probability, 12);
        Assert.Contains("the model uses 2 feature(s) that are not computed for hosts: 'mem_ce_total.cp_martingale', 'fan_rpm.spike_score';", windowsOnly.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ModelOfNoveltyFeatures_NoveltyDetectorOff_SaysWhichSettingComputesThem()
    {
        var path = Synthetic.TempFile(ModelFile.ToJson(ModelFileTests.Trained([FeatureNames.SmartReallocatedMax, "fan_rpm.novelty_score", "x2", "x3"])), ".json");

        var ex = Assert.Throws<LearningInputException>(() => ModelRiskAssessor.Load(path, [.. FeatureNames.All, "fan_rpm.spike_score"]));

        Assert.Contains("'fan_rpm.novelty_score', 'x2', 'x3' (the novelty detector's features need Detectors:NoveltyHistory above 0);", ex.Message, StringComparison.Ordinal);
    }
}
