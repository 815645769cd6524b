using System.Text.Json.Nodes;
using Predictor.Learning.Calibration;
using Predictor.Learning.Models;
using Predictor.Learning.Trees;
using Predictor.Testing;

namespace Predictor.Learning.Tests.Models;

public class ModelFileTests
{
    internal static TrainedModel Trained(string[]? names = null, int seed = 4)
    {
        var data = Synthetic.Classification(3_000, 4, seed);
        var gbdt = new GbdtTrainer(new GbdtOptions { Trees = 15, Leaves = 8, Threads = 1 }).Train(data);
        var named = names is null ? gbdt : gbdt with { FeatureNames = names };
        var training = new TrainingDescription("train.csv", "label", null, null, [], data.Rows, 100, 24, new JsonObject { ["trees"] = 15 });
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        return new TrainedModel(named.FeatureNames, named, null, new PlattCalibrator(-1.1, 0.2), training, clock.GetUtcNow(),
            new JsonObject { ["heldOut"] = new JsonObject { ["rocAuc"] = 0.9 } });
    }

    [Fact]
    public void SaveAndLoad_RoundTrip_SameJsonAndSameScores()
    {
        var model = Trained();
        var json = ModelFile.ToJson(model);

        var loaded = ModelFileReader.Parse(json, "m.json");

        Assert.Equal(json, ModelFile.ToJson(loaded));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), loaded.CreatedAt);
        float[] row = [0.3f, float.NaN, 0.9f, 0.1f];
        Assert.Equal(model.Probability(row), loaded.Probability(row));
    }

    [Fact]
    public void Parse_NotJson_ClearError()
    {
        var ex = Assert.Throws<LearningInputException>(() => ModelFileReader.Parse("{\"format\": ", "m.json"));

        Assert.StartsWith("m.json: not a valid JSON model file (line 1): ", ex.Message);
    }

    [Fact]
    public void Parse_OtherFormatVersion_NamesBothVersions()
    {
        var json = ModelFile.ToJson(Trained()).Replace("\"formatVersion\":1", "\"formatVersion\":7", StringComparison.Ordinal);

        var ex = Assert.Throws<LearningInputException>(() => ModelFileReader.Parse(json, "m.json"));

        Assert.Equal("m.json: invalid model file: $.formatVersion: this build reads version 1, the file is version 7", ex.Message);
    }

    [Fact]
    public void Parse_CorruptTree_NamesEveryProblemWithItsPath()
    {
        var node = JsonNode.Parse(ModelFile.ToJson(Trained()))!;
        node["trees"]![0]!["left"]![0] = 99;
        node["trees"]![1]!["splitFeature"]![0] = 12;
        node["trees"]![2]!.AsObject().Remove("leafValue");
        node["calibrator"]!["kind"] = "magic";

        var ex = Assert.Throws<LearningInputException>(() => ModelFileReader.Parse(node.ToJsonString(), "m.json"));

        Assert.Contains("$.trees[0].left[0]: child 99 is neither an internal node", ex.Message, StringComparison.Ordinal);
        Assert.Contains("$.trees[1].splitFeature[0]: feature index 12 is outside 0..3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("$.trees[2].leafValue: required field is missing", ex.Message, StringComparison.Ordinal);
        Assert.Contains("$.calibrator.kind: expected 'platt', 'isotonic' or 'sigmoid', got 'magic'", ex.Message, StringComparison.Ordinal);
    }
}
