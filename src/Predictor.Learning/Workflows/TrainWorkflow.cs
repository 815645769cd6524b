using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Predictor.Learning.Calibration;
using Predictor.Learning.Data;
using Predictor.Learning.Explanations;
using Predictor.Learning.Linear;
using Predictor.Learning.Models;
using Predictor.Learning.Trees;

namespace Predictor.Learning.Workflows;

/// <summary>
/// <c>predictor train</c>: load, split (or read the test file), train, calibrate, evaluate on held-out
/// data, write the model and <c>&lt;out&gt;.report.json</c> with metrics and phase timings: <c>load_s</c>
/// (CSV parsing), <c>train_s</c> (binning and boosting, or the logistic fit) split into <c>binning_s</c> and
/// <c>boosting_s</c> for trees, <c>train_cpu_s</c> (processor time of all threads while training),
/// <c>calibrate_s</c> (scoring the training rows and fitting the calibrator), <c>evaluate_s</c> (held-out
/// metrics and permutation importance).
/// </summary>
public static class TrainWorkflow
{
    public static TrainResult Run(TrainRequest request, TimeProvider time, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(time);
        var clock = Stopwatch.StartNew();
        var schema = new DataSchema(request.Label, request.Group, request.Time, request.Exclude);
        var options = GbdtOptionsFrom(request);
        var learner = request.Learner;
        if (learner is not ("gbdt" or "logistic"))
        {
            throw new LearningInputException($"--learner must be 'gbdt' or 'logistic', got '{learner}'");
        }

        if (request.Calibration is not ("platt" or "isotonic" or "none"))
        {
            throw new LearningInputException($"--calibration must be 'platt', 'isotonic' or 'none', got '{request.Calibration}'");
        }

        progress?.Invoke($"loading {request.DataPath}");
        var table = CsvTable.Load(request.DataPath, schema.TextColumns);
        var all = DataSetLoader.ForTraining(table, schema, out var ignoredText);
        if (ignoredText.Count > 0)
        {
            progress?.Invoke($"ignoring text column(s) {string.Join(", ", ignoredText)}");
        }

        var allPositives = all.RequireLabels().Count(l => l > 0.5f);
        if (allPositives == 0 || allPositives == all.Rows)
        {
            throw new LearningInputException(
                $"{request.DataPath}: label column '{request.Label}' has {allPositives} positive (1) rows among {all.Rows} rows; " +
                "a binary classifier needs both 0 and 1 rows");
        }

        DataSet train, test;
        string evaluation;
        if (request.TestPath is { } testPath)
        {
            var testTable = CsvTable.Load(testPath, schema.TextColumns);
            test = DataSetLoader.ForModel(testTable, all.FeatureNames, schema);
            if (test.Labels is null)
            {
                throw new LearningInputException($"{testPath}: label column '{request.Label}' not found");
            }

            train = all;
            evaluation = $"test file {testPath}";
        }
        else
        {
            var (trainRows, testRows) = DataSplitter.Split(all, request.TestFraction, request.Seed);
            train = all.Subset(trainRows);
            test = all.Subset(testRows);
            evaluation = request.Group is not null ? $"{request.TestFraction:P0} of groups '{request.Group}' held out"
                : request.Time is not null ? $"latest {request.TestFraction:P0} of rows by '{request.Time}' held out"
                : $"{request.TestFraction:P0} of rows held out at random";
        }

        var labels = train.RequireLabels();
        var positives = labels.Count(l => l > 0.5f);
        if (positives == 0 || positives == labels.Length)
        {
            throw new LearningInputException(
                $"{request.DataPath}: label column '{request.Label}' has {positives} positive (1) rows among the {labels.Length} training rows left after holding out test data; " +
                "a binary classifier needs both 0 and 1 rows: use more data or --test");
        }

        var constant = ConstantFeatures(train);
        if (constant.Count == train.FeatureNames.Length)
        {
            throw new LearningInputException(
                $"{request.DataPath}: every feature column is constant in the training rows ({string.Join(", ", constant)}); nothing to learn from");
        }

        if (constant.Count > 0)
        {
            progress?.Invoke($"constant feature(s), never split on: {string.Join(", ", constant)}");
        }

        if (request.PositiveWeight == 0)
        {
            options = options with { PositiveWeight = (double)(labels.Length - positives) / positives };
        }

        var loadSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        progress?.Invoke($"training {learner} on {train.Rows} rows x {train.FeatureNames.Length} features ({positives} positive)");
        var cpuBefore = ProcessorTime();
        var (gbdt, logistic, trainInfo, phases) = learner == "gbdt"
            ? TrainGbdt(train, options, request, progress)
            : TrainLogistic(train, options, request);
        var trainSeconds = clock.Elapsed.TotalSeconds;
        var trainCpuSeconds = (ProcessorTime() - cpuBefore).TotalSeconds;
        clock.Restart();
        var raw = gbdt is not null ? new CompiledForest(gbdt).RawScores(train.Columns, options.Threads) : Scores(logistic!, train);
        ICalibrator calibrator = request.Calibration switch
        {
            "platt" => PlattCalibrator.Fit(raw, labels),
            "isotonic" => IsotonicCalibrator.Fit(raw, labels),
            _ => SigmoidCalibrator.Instance,
        };
        var calibrateSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();

        var description = new TrainingDescription(
            Path.GetFileName(request.DataPath), request.Label, request.Group, request.Time, request.Exclude, train.Rows, positives,
            request.HorizonHours, OptionsJson(request, options));
        var model = new TrainedModel(train.FeatureNames, gbdt, logistic, calibrator, description, time.GetUtcNow(), []);
        var heldOut = Evaluation.Evaluate(model, test, evaluation, options.Threads);
        if (request.PermutationImportance && test.Labels is { } testLabels && testLabels.Any(l => l > 0.5f) && testLabels.Any(l => l < 0.5f))
        {
            var drops = PermutationImportance.Compute(model, test.Columns, testLabels, request.Seed, options.Threads);
            var byFeature = new JsonObject();
            foreach (var f in Enumerable.Range(0, drops.Length).OrderByDescending(f => drops[f]))
            {
                byFeature[train.FeatureNames[f]] = Evaluation.Number(drops[f]);
            }

            heldOut["permutationImportanceAuc"] = byFeature;
        }

        var evaluateSeconds = clock.Elapsed.TotalSeconds;
        var metrics = new JsonObject { ["heldOut"] = heldOut, ["training"] = trainInfo };
        var timings = new JsonObject { ["load_s"] = Math.Round(loadSeconds, 3), ["train_s"] = Math.Round(trainSeconds, 3) };
        foreach (var (name, seconds) in phases)
        {
            timings[name] = Math.Round(seconds, 3);
        }

        timings["train_cpu_s"] = Math.Round(trainCpuSeconds, 3);
        timings["calibrate_s"] = Math.Round(calibrateSeconds, 3);
        timings["evaluate_s"] = Math.Round(evaluateSeconds, 3);
        var final = new TrainedModel(train.FeatureNames, gbdt, logistic, calibrator, description, model.CreatedAt, metrics);
        ModelFile.Save(final, request.OutPath);

        var report = new JsonObject
        {
            ["model"] = request.OutPath,
            ["createdAt"] = final.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["features"] = new JsonArray([.. train.FeatureNames.Select(f => (JsonNode?)f)]),
            ["ignoredTextColumns"] = new JsonArray([.. ignoredText.Select(f => (JsonNode?)f)]),
            ["constantFeatures"] = new JsonArray([.. constant.Select(f => (JsonNode?)f)]),
            ["metrics"] = metrics.DeepClone(),
            ["timings"] = timings,
        };
        var reportPath = request.OutPath + ".report.json";
        File.WriteAllText(reportPath, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");

        var summary = new List<string>
        {
            $"model: {request.OutPath} ({learner}, {train.FeatureNames.Length} features, {train.Rows} training rows, {positives} positive)",
            $"held out: {evaluation}: {heldOut["rows"]} rows, {heldOut["positives"]} positive",
            $"  roc_auc {heldOut["rocAuc"]?.ToJsonString() ?? "n/a"}  pr_auc {heldOut["prAuc"]?.ToJsonString() ?? "n/a"}  " +
            $"log_loss {heldOut["logLoss"]?.ToJsonString() ?? "n/a"}  brier {heldOut["brier"]?.ToJsonString() ?? "n/a"}",
        };
        if (heldOut["perUnit"] is JsonArray points)
        {
            foreach (var point in points)
            {
                summary.Add($"  per unit at p >= {point!["threshold"]?.ToJsonString()}: detection {point["detectionRate"]?.ToJsonString() ?? "n/a"}, " +
                            $"false alarms {point["falseAlarmRate"]?.ToJsonString() ?? "n/a"} of {point["units"]} units");
            }
        }

        summary.Add("timings: " + string.Join("  ", timings.Select(t => $"{t.Key} {t.Value!.GetValue<double>().ToString("F3", CultureInfo.InvariantCulture)}")));
        summary.Add($"report: {reportPath}");
        return new TrainResult(request.OutPath, reportPath, summary);
    }

    private static TimeSpan ProcessorTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static (GbdtModel?, LogisticModel?, JsonObject, (string, double)[]) TrainGbdt(DataSet train, GbdtOptions options, TrainRequest request, Action<string>? progress)
    {
        DataSet fit = train, validation = train;
        if (options.EarlyStoppingRounds > 0)
        {
            var (fitRows, validRows) = DataSplitter.Split(train, 0.1, request.Seed + 1);
            fit = train.Subset(fitRows);
            validation = train.Subset(validRows);
            progress?.Invoke($"early stopping on {validation.Rows} validation rows");
        }

        var trainer = new GbdtTrainer(options);
        var model = trainer.Train(fit, options.EarlyStoppingRounds > 0 ? validation : null, progress);
        return (model, null, new JsonObject
        {
            ["rows"] = fit.Rows,
            ["trees"] = model.Trees.Count,
            ["bestIteration"] = trainer.BestIteration,
            ["leaves"] = model.Trees.Sum(t => t.LeafValue.Length),
        }, [("binning_s", trainer.BinningTime.TotalSeconds), ("boosting_s", trainer.BoostingTime.TotalSeconds)]);
    }

    private static (GbdtModel?, LogisticModel?, JsonObject, (string, double)[]) TrainLogistic(DataSet train, GbdtOptions options, TrainRequest request)
    {
        var trainer = new LogisticRegressionTrainer(new LogisticRegressionOptions
        {
            L1 = request.L1 ?? 0,
            L2 = request.L2 ?? new LogisticRegressionOptions().L2,
            PositiveWeight = options.PositiveWeight,
        });
        var model = trainer.Train(train);
        return (null, model, new JsonObject { ["rows"] = train.Rows, ["iterations"] = trainer.Iterations }, []);
    }

    private static double[] Scores(LogisticModel model, DataSet data)
    {
        var scores = new double[data.Rows];
        var row = new float[data.Columns.Length];
        for (var i = 0; i < data.Rows; i++)
        {
            for (var f = 0; f < row.Length; f++)
            {
                row[f] = data.Columns[f][i];
            }

            scores[i] = model.RawScore(row);
        }

        return scores;
    }

    private static List<string> ConstantFeatures(DataSet data)
    {
        var result = new List<string>();
        for (var f = 0; f < data.Columns.Length; f++)
        {
            var first = float.NaN;
            var varies = false;
            foreach (var v in data.Columns[f])
            {
                if (float.IsNaN(v))
                {
                    continue;
                }

                if (float.IsNaN(first))
                {
                    first = v;
                }
                else if (v != first)
                {
                    varies = true;
                    break;
                }
            }

            if (!varies)
            {
                result.Add(data.FeatureNames[f]);
            }
        }

        return result;
    }

    private static GbdtOptions GbdtOptionsFrom(TrainRequest r)
    {
        var d = new GbdtOptions();
        var policy = r.GrowPolicy switch
        {
            "leafwise" => GrowPolicy.LeafWise,
            "depthwise" => GrowPolicy.DepthWise,
            _ => throw new LearningInputException($"--grow-policy must be 'leafwise' or 'depthwise', got '{r.GrowPolicy}'"),
        };
        var fullTree = r.MaxDepth is >= 1 and <= GbdtOptions.MaxDepthWiseDepth ? 1 << r.MaxDepth.Value : d.Leaves;
        var options = d with
        {
            Trees = r.Trees ?? d.Trees,
            Leaves = r.Leaves ?? (policy == GrowPolicy.DepthWise ? fullTree : d.Leaves),
            GrowPolicy = policy,
            MaxDepth = r.MaxDepth ?? d.MaxDepth,
            LearningRate = r.LearningRate ?? d.LearningRate,
            MaxBins = r.MaxBins ?? d.MaxBins,
            MinExamplesPerLeaf = r.MinExamplesPerLeaf ?? d.MinExamplesPerLeaf,
            L2 = r.L2 ?? d.L2,
            RowSubsample = r.Subsample ?? d.RowSubsample,
            FeatureFraction = r.FeatureFraction ?? d.FeatureFraction,
            PositiveWeight = r.PositiveWeight is { } w && w != 0 ? w : d.PositiveWeight,
            Threads = r.Threads ?? d.Threads,
            Seed = r.Seed,
            EarlyStoppingRounds = r.EarlyStopping,
        };
        var errors = options.Validate().ToList();
        if (r.PositiveWeight is < 0)
        {
            errors.Add($"--positive-weight must be above 0, or 0 for negatives/positives, got {r.PositiveWeight}");
        }

        if (r.TestFraction is <= 0 or >= 1)
        {
            errors.Add($"the held-out fraction must be in (0, 1), got {r.TestFraction}");
        }

        if (errors.Count > 0)
        {
            throw new LearningInputException(string.Join("; ", errors));
        }

        return options;
    }

    private static JsonObject OptionsJson(TrainRequest r, GbdtOptions o) => new()
    {
        ["learner"] = r.Learner,
        ["trees"] = o.Trees,
        ["leaves"] = o.Leaves,
        ["growPolicy"] = r.GrowPolicy,
        ["maxDepth"] = o.MaxDepth,
        ["minExamplesPerLeaf"] = o.MinExamplesPerLeaf,
        ["learningRate"] = o.LearningRate,
        ["maxBins"] = o.MaxBins,
        ["l2"] = o.L2,
        ["l1"] = r.L1 ?? 0,
        ["subsample"] = o.RowSubsample,
        ["featureFraction"] = o.FeatureFraction,
        ["positiveWeight"] = o.PositiveWeight,
        ["earlyStopping"] = o.EarlyStoppingRounds,
        ["calibration"] = r.Calibration,
        ["seed"] = o.Seed,
    };
}
