using System.Globalization;
using System.Text.Json.Nodes;
using Predictor.Learning.Workflows;
using Predictor.Testing;

namespace Predictor.Learning.Tests.Workflows;

public class TrainWorkflowTests
{
    private static readonly ManualTimeProvider Clock = new(new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero));

    private static string DriveCsv(int drives, int seed)
    {
        var data = Synthetic.Classification(drives * 3, 4, seed);
        var writer = new StringWriter();
        writer.WriteLine("serial,day,x0,x1,x2,x3,constant,failure");
        for (var i = 0; i < data.Rows; i++)
        {
            var x = data.Columns.Select(c => float.IsNaN(c[i]) ? "" : c[i].ToString("R", CultureInfo.InvariantCulture));
            writer.WriteLine($"d{i / 3},2024-01-0{(i % 3) + 1},{string.Join(',', x)},7,{data.Labels![i]}");
        }

        return writer.ToString();
    }

    private static TrainRequest Request(string data, string output) => new()
    {
        DataPath = data, Label = "failure", Group = "serial", Time = "day", OutPath = output, Trees = 20, Threads = 2,
    };

    [Fact]
    public void Run_ThenScoreAndExplain_ModelReportScoresAndContributionsAgree()
    {
        var data = Synthetic.TempFile(DriveCsv(1_000, 1));
        var model = Path.ChangeExtension(data, ".model.json");

        var result = TrainWorkflow.Run(Request(data, model), Clock);

        var report = JsonNode.Parse(File.ReadAllText(result.ReportPath))!;
        Assert.Equal(["x0", "x1", "x2", "x3", "constant"], report["features"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("constant", report["constantFeatures"]![0]!.GetValue<string>());
        Assert.InRange(report["metrics"]!["heldOut"]!["rocAuc"]!.GetValue<double>(), 0.7, 0.95);
        Assert.NotNull(report["timings"]!["load_s"]);
        Assert.NotNull(report["timings"]!["train_s"]);
        Assert.NotNull(report["timings"]!["binning_s"]);
        Assert.NotNull(report["timings"]!["boosting_s"]);
        Assert.NotNull(report["timings"]!["train_cpu_s"]);
        Assert.NotNull(report["timings"]!["evaluate_s"]);
        Assert.Contains("\"createdAt\":\"2026-05-06T07:08:09.0000000+00:00\"", File.ReadAllText(model), StringComparison.Ordinal);

        var scores = Path.ChangeExtension(data, ".scores.csv");
        var (rows, _) = ScoreWorkflow.Run(model, data, scores, 2);
        var lines = File.ReadAllLines(scores);
        Assert.Equal(3_000, rows);
        Assert.Equal("serial,day,probability", lines[0]);
        Assert.StartsWith("d0,2024-01-01,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("d999,2024-01-03,", lines[^1], StringComparison.Ordinal);

        var explained = new StringWriter();
        ExplainWorkflow.Run(model, data, 5, explained);
        var first = explained.ToString().Split('\n').Skip(1).Take(5).Select(l => l.Split(',')).ToArray();
        Assert.All(first, cells => Assert.Equal("2", cells[0]));
        var raw = double.Parse(first[0][3], CultureInfo.InvariantCulture);
        var bias = double.Parse(first[0][4], CultureInfo.InvariantCulture);
        Assert.Equal(raw, bias + first.Sum(c => double.Parse(c[8], CultureInfo.InvariantCulture)), 9);
        Assert.Equal(lines[1].Split(',')[2], first[0][2]);
    }

    [Fact]
    public void Run_NoPositiveRows_ClearError()
    {
        var data = Synthetic.TempFile("serial,day,x0,failure\na,1,0.5,0\nb,1,0.7,0\n");

        var ex = Assert.Throws<LearningInputException>(() => TrainWorkflow.Run(Request(data, data + ".json") with { Group = null, Time = null }, Clock));

        Assert.Equal(
            $"{data}: label column 'failure' has 0 positive (1) rows among 2 rows; a binary classifier needs both 0 and 1 rows",
            ex.Message);
    }

    [Fact]
    public void Run_AllFeaturesConstant_ClearError()
    {
        var rows = string.Join("", Enumerable.Range(0, 20).Select(i => $"{i},1,2,{i % 2}\n"));
        var data = Synthetic.TempFile("serial,a,b,failure\n" + rows);

        var ex = Assert.Throws<LearningInputException>(() =>
            TrainWorkflow.Run(Request(data, data + ".json") with { Time = null, Exclude = [] }, Clock));

        Assert.Equal($"{data}: every feature column is constant in the training rows (a, b); nothing to learn from", ex.Message);
    }

    [Fact]
    public void Run_SameSeedTwice_ByteIdenticalModelFiles()
    {
        var data = Synthetic.TempFile(DriveCsv(400, 2));

        TrainWorkflow.Run(Request(data, data + ".1.json") with { Subsample = 0.7, FeatureFraction = 0.6 }, Clock);
        TrainWorkflow.Run(Request(data, data + ".2.json") with { Subsample = 0.7, FeatureFraction = 0.6, Threads = 1 }, Clock);

        var first = JsonNode.Parse(File.ReadAllText(data + ".1.json"))!;
        var second = JsonNode.Parse(File.ReadAllText(data + ".2.json"))!;
        Assert.Equal(first["trees"]!.ToJsonString(), second["trees"]!.ToJsonString());
        Assert.Equal(first["metrics"]!.ToJsonString(), second["metrics"]!.ToJsonString());
    }

    [Fact]
    public void Run_DepthWiseWithoutLeaves_FullTreesOfTheDepth()
    {
        var data = Synthetic.TempFile(DriveCsv(2_000, 4));
        var model = data + ".json";

        TrainWorkflow.Run(Request(data, model) with { GrowPolicy = "depthwise", MaxDepth = 3, MinExamplesPerLeaf = 1 }, Clock);

        var saved = JsonNode.Parse(File.ReadAllText(model))!;
        Assert.Equal(8, saved["training"]!["options"]!["leaves"]!.GetValue<int>());
        Assert.Equal("depthwise", saved["training"]!["options"]!["growPolicy"]!.GetValue<string>());
        Assert.Equal(8, saved["trees"]![0]!["leafValue"]!.AsArray().Count);
        Assert.Equal(20, Predictor.Learning.Models.ModelFileReader.Load(model).Gbdt!.Trees.Count);
    }

    [Fact]
    public void Run_UnknownGrowPolicy_ClearError()
    {
        var data = Synthetic.TempFile(DriveCsv(100, 5));

        var ex = Assert.Throws<LearningInputException>(() => TrainWorkflow.Run(Request(data, data + ".json") with { GrowPolicy = "lossguide" }, Clock));

        Assert.Equal("--grow-policy must be 'leafwise' or 'depthwise', got 'lossguide'", ex.Message);
    }

    [Fact]
    public void Run_LogisticLearnerWithIsotonicCalibration_WritesALoadableModel()
    {
        var data = Synthetic.TempFile(DriveCsv(500, 3));
        var model = data + ".json";

        TrainWorkflow.Run(Request(data, model) with { Learner = "logistic", Calibration = "isotonic", L1 = 0.001 }, Clock);

        var loaded = Predictor.Learning.Models.ModelFileReader.Load(model);
        Assert.Equal("logistic", loaded.Kind);
        Assert.Equal("isotonic", loaded.Calibrator.Kind);
    }
}
