using System.CommandLine;
using Predictor.Learning.Workflows;

namespace Predictor.Cli;

/// <summary><c>predictor train</c>: trains a binary classifier from a CSV and writes the model and its report.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Training CSV with a header line", Required = true };
        var label = new Option<string>("--label") { Description = "Label column (0/1)", Required = true };
        var group = new Option<string?>("--group") { Description = "Unit column (drive, host): held-out splits never share a unit" };
        var time = new Option<string?>("--time") { Description = "Time column: split by time without --group, lead time in metrics" };
        var exclude = new Option<string?>("--exclude") { Description = "Columns to leave out of the features, comma-separated" };
        var test = new Option<string?>("--test") { Description = "Evaluate on this CSV and train on all of --data" };
        var output = new Option<string>("--out") { Description = "Model file to write; the report goes to <out>.report.json", Required = true };
        var trees = new Option<int?>("--trees") { Description = "Boosting rounds (default 100, as ML.NET FastTree)" };
        var depth = new Option<int?>("--max-depth") { Description = "Maximum tree depth, 0 = unlimited (default 0)" };
        var leaves = new Option<int?>("--leaves") { Description = "Maximum leaves per tree (default 20, as ML.NET; 2^max-depth with --grow-policy depthwise)" };
        var growPolicy = new Option<string>("--grow-policy")
        {
            Description = "leafwise: best leaf first (as ML.NET, LightGBM); depthwise: level by level up to --max-depth (as XGBoost)",
            DefaultValueFactory = _ => "leafwise",
        };
        var rate = new Option<double?>("--learning-rate") { Description = "Shrinkage (default 0.2, as ML.NET)" };
        var bins = new Option<int?>("--max-bins") { Description = "Bins per feature incl. the missing-value bin, 3..256 (default 255, as ML.NET)" };
        var minLeaf = new Option<int?>("--min-examples-per-leaf") { Description = "Minimum rows per leaf (default 10, as ML.NET)" };
        var l2 = new Option<double?>("--l2") { Description = "L2 penalty on leaf values / logistic weights (default 1 for trees, 0.0001 for logistic)" };
        var l1 = new Option<double?>("--l1") { Description = "L1 penalty of the logistic learner (default 0)" };
        var subsample = new Option<double?>("--subsample") { Description = "Fraction of rows per tree (default 1)" };
        var featureFraction = new Option<double?>("--feature-fraction") { Description = "Fraction of features per tree (default 1)" };
        var positiveWeight = new Option<double?>("--positive-weight") { Description = "Weight of positive rows; 0 = negatives/positives (default 1)" };
        var threads = new Option<int?>("--threads") { Description = "Threads (default: processor count)" };
        var seed = new Option<int>("--seed") { Description = "Seed of splits and sampling", DefaultValueFactory = _ => 1 };
        var early = new Option<int>("--early-stopping") { Description = "Stop after N rounds without validation improvement (0 = off)", DefaultValueFactory = _ => 0 };
        var learner = new Option<string>("--learner") { Description = "gbdt or logistic", DefaultValueFactory = _ => "gbdt" };
        var calibration = new Option<string>("--calibration") { Description = "platt (as ML.NET), isotonic or none", DefaultValueFactory = _ => "platt" };
        var horizon = new Option<double>("--horizon-hours") { Description = "What the label means: fails within this many hours", DefaultValueFactory = _ => 24 };

        var command = new Command("train", "Train a failure classifier (gradient-boosted trees or logistic regression) from a CSV")
        {
            data, label, group, time, exclude, test, output, trees, depth, leaves, growPolicy, rate, bins, minLeaf, l2, l1, subsample, featureFraction,
            positiveWeight, threads, seed, early, learner, calibration, horizon,
        };
        command.SetAction(parseResult => LearningCommandRunner.Run(() =>
        {
            var request = new TrainRequest
            {
                DataPath = parseResult.GetValue(data)!,
                Label = parseResult.GetValue(label)!,
                OutPath = parseResult.GetValue(output)!,
                Group = parseResult.GetValue(group),
                Time = parseResult.GetValue(time),
                Exclude = (parseResult.GetValue(exclude) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                TestPath = parseResult.GetValue(test),
                Trees = parseResult.GetValue(trees),
                MaxDepth = parseResult.GetValue(depth),
                Leaves = parseResult.GetValue(leaves),
                GrowPolicy = parseResult.GetValue(growPolicy)!,
                LearningRate = parseResult.GetValue(rate),
                MaxBins = parseResult.GetValue(bins),
                MinExamplesPerLeaf = parseResult.GetValue(minLeaf),
                L2 = parseResult.GetValue(l2),
                L1 = parseResult.GetValue(l1),
                Subsample = parseResult.GetValue(subsample),
                FeatureFraction = parseResult.GetValue(featureFraction),
                PositiveWeight = parseResult.GetValue(positiveWeight),
                Threads = parseResult.GetValue(threads),
                Seed = parseResult.GetValue(seed),
                EarlyStopping = parseResult.GetValue(early),
                Learner = parseResult.GetValue(learner)!,
                Calibration = parseResult.GetValue(calibration)!,
                HorizonHours = parseResult.GetValue(horizon),
            };
            var result = TrainWorkflow.Run(request, TimeProvider.System, message => Console.Error.WriteLine(message));
            foreach (var line in result.Summary)
            {
                Console.Out.WriteLine(line);
            }

            return 0;
        }));
        return command;
    }
}
