using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Predictor.Learning.Calibration;
using Predictor.Learning.Linear;
using Predictor.Learning.Trees;

namespace Predictor.Learning.Models;

/// <summary>
/// Loads and validates a model file: format and version, kind, unique feature names, every array's
/// length, every child and feature index in range, calibrator parameters. All problems are reported at
/// once, each with its JSON path, in one <see cref="LearningInputException"/>.
/// </summary>
internal static class ModelFileReader
{
    public static TrainedModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new LearningInputException($"{path}: model file not found");
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static TrainedModel Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new LearningInputException($"{source}: not a valid JSON model file (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }

        using (document)
        {
            var errors = new List<string>();
            var model = Read(document.RootElement, errors);
            if (errors.Count > 0 || model is null)
            {
                throw new LearningInputException($"{source}: invalid model file: {string.Join("; ", errors)}");
            }

            return model;
        }
    }

    private static TrainedModel? Read(JsonElement root, List<string> errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("the root must be a JSON object");
            return null;
        }

        var r = new Fields(root, "$", errors);
        var format = r.String("format");
        if (format is not null && format != ModelFile.Format)
        {
            errors.Add($"$.format: expected '{ModelFile.Format}', got '{format}'");
            return null;
        }

        var version = (int)r.Number("formatVersion");
        if (version != ModelFile.Version && errors.Count == 0)
        {
            errors.Add($"$.formatVersion: this build reads version {ModelFile.Version}, the file is version {version}");
            return null;
        }

        var kind = r.String("kind");
        var createdText = r.String("createdAt");
        var created = DateTimeOffset.MinValue;
        if (createdText is not null && !DateTimeOffset.TryParse(createdText, CultureInfo.InvariantCulture, DateTimeStyles.None, out created))
        {
            errors.Add($"$.createdAt: expected an ISO 8601 time, got '{createdText}'");
        }

        var features = r.Strings("features") ?? [];
        if (features.Length == 0)
        {
            errors.Add("$.features: expected at least one feature name");
        }

        foreach (var duplicate in features.GroupBy(f => f, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"$.features: duplicate feature '{duplicate.Key}'");
        }

        var training = ReadTraining(r.Object("training"), errors);
        var metrics = r.Object("metrics") is { } m ? (JsonObject)JsonNode.Parse(m.GetRawText())! : [];
        var calibrator = ReadCalibrator(r.Object("calibrator"), errors);
        GbdtModel? gbdt = null;
        LogisticModel? logistic = null;
        switch (kind)
        {
            case TrainedModel.GbdtKind:
                gbdt = ReadGbdt(r, features, errors);
                break;
            case TrainedModel.LogisticKind:
                var means = r.Doubles("means") ?? [];
                var scales = r.Doubles("scales") ?? [];
                var weights = r.Doubles("weights") ?? [];
                foreach (var (name, values) in new[] { ("means", means), ("scales", scales), ("weights", weights) })
                {
                    if (values.Length != features.Length)
                    {
                        errors.Add($"$.{name}: expected {features.Length} values (one per feature), got {values.Length}");
                    }
                }

                logistic = new LogisticModel(features, means, scales, weights, r.Number("bias"));
                break;
            case null:
                break;
            default:
                errors.Add($"$.kind: expected '{TrainedModel.GbdtKind}' or '{TrainedModel.LogisticKind}', got '{kind}'");
                break;
        }

        if (errors.Count > 0 || training is null || calibrator is null || (gbdt is null && logistic is null))
        {
            return null;
        }

        return new TrainedModel(features, gbdt, logistic, calibrator, training, created, metrics);
    }

    private static GbdtModel? ReadGbdt(Fields r, string[] features, List<string> errors)
    {
        var binningElement = r.Array("binning");
        var binning = new List<FeatureBinning>();
        if (binningElement is { } be)
        {
            var index = 0;
            foreach (var item in be.EnumerateArray())
            {
                var bounds = Fields.ToFloats(item, $"$.binning[{index}]", errors) ?? [];
                if (bounds.Length > 254)
                {
                    errors.Add($"$.binning[{index}]: at most 254 bounds (256 bins), got {bounds.Length}");
                }

                binning.Add(new FeatureBinning(bounds));
                index++;
            }

            if (binning.Count != features.Length)
            {
                errors.Add($"$.binning: expected {features.Length} entries (one per feature), got {binning.Count}");
            }
        }

        var baseScore = r.Number("baseScore");
        var trees = new List<RegressionTree>();
        if (r.Array("trees") is { } te)
        {
            var t = 0;
            foreach (var item in te.EnumerateArray())
            {
                if (ReadTree(item, $"$.trees[{t}]", features.Length, binning, errors) is { } tree)
                {
                    trees.Add(tree);
                }

                t++;
            }
        }

        return errors.Count > 0 ? null : new GbdtModel(features, [.. binning], baseScore, trees);
    }

    private static RegressionTree? ReadTree(JsonElement element, string path, int featureCount, List<FeatureBinning> binning, List<string> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: expected an object");
            return null;
        }

        var f = new Fields(element, path, errors);
        var split = f.Ints("splitFeature") ?? [];
        var bins = f.Ints("thresholdBin") ?? [];
        var threshold = f.Floats("threshold") ?? [];
        var defaultLeft = f.Bools("defaultLeft") ?? [];
        var left = f.Ints("left") ?? [];
        var right = f.Ints("right") ?? [];
        var gain = f.Doubles("gain") ?? [];
        var cover = f.Doubles("cover") ?? [];
        var leafValue = f.Doubles("leafValue") ?? [];
        var leafCover = f.Doubles("leafCover") ?? [];
        var before = errors.Count;
        var n = split.Length;
        foreach (var (name, length) in new[]
        {
            ("thresholdBin", bins.Length), ("threshold", threshold.Length), ("defaultLeft", defaultLeft.Length), ("left", left.Length),
            ("right", right.Length), ("gain", gain.Length), ("cover", cover.Length),
        })
        {
            if (length != n)
            {
                errors.Add($"{path}.{name}: expected {n} values (one per internal node), got {length}");
            }
        }

        if (leafValue.Length != n + 1 || leafCover.Length != n + 1)
        {
            errors.Add($"{path}: a tree with {n} internal nodes has {n + 1} leaves; leafValue has {leafValue.Length}, leafCover {leafCover.Length}");
        }

        if (errors.Count > before)
        {
            return null;
        }

        for (var i = 0; i < n; i++)
        {
            if (split[i] < 0 || split[i] >= featureCount)
            {
                errors.Add($"{path}.splitFeature[{i}]: feature index {split[i]} is outside 0..{featureCount - 1}");
            }
            else if (split[i] < binning.Count && (bins[i] < 1 || bins[i] > binning[split[i]].UpperBounds.Length + 1))
            {
                errors.Add($"{path}.thresholdBin[{i}]: bin {bins[i]} is outside the feature's value bins 1..{binning[split[i]].UpperBounds.Length + 1}");
            }

            foreach (var (name, child) in new[] { ("left", left[i]), ("right", right[i]) })
            {
                if (child >= n || ~child > n || child == 0)
                {
                    errors.Add($"{path}.{name}[{i}]: child {child} is neither an internal node 1..{n - 1} nor a leaf ~0..~{n}");
                }
            }
        }

        return errors.Count > before ? null : new RegressionTree(split, bins, threshold, defaultLeft, left, right, gain, cover, leafValue, leafCover);
    }

    private static TrainingDescription? ReadTraining(JsonElement? element, List<string> errors)
    {
        if (element is not { } e)
        {
            return null;
        }

        var f = new Fields(e, "$.training", errors);
        var options = f.Object("options") is { } o ? (JsonObject)JsonNode.Parse(o.GetRawText())! : [];
        return new TrainingDescription(
            f.String("source") ?? "", f.String("label") ?? "", f.String("group", required: false), f.String("time", required: false),
            f.Strings("excluded") ?? [], (int)f.Number("rows"), (int)f.Number("positives"), f.Number("horizonHours"), options);
    }

    private static ICalibrator? ReadCalibrator(JsonElement? element, List<string> errors)
    {
        if (element is not { } e)
        {
            return null;
        }

        var f = new Fields(e, "$.calibrator", errors);
        switch (f.String("kind"))
        {
            case "platt":
                return new PlattCalibrator(f.Number("slope"), f.Number("offset"));
            case "isotonic":
                var thresholds = f.Doubles("thresholds") ?? [];
                var values = f.Doubles("values") ?? [];
                if (thresholds.Length == 0 || thresholds.Length != values.Length)
                {
                    errors.Add($"$.calibrator: isotonic needs as many values as thresholds (at least one), got {thresholds.Length} and {values.Length}");
                }

                for (var i = 1; i < thresholds.Length && i < values.Length; i++)
                {
                    if (thresholds[i] <= thresholds[i - 1] || values[i] < values[i - 1])
                    {
                        errors.Add($"$.calibrator.thresholds[{i}]: thresholds must increase and values must not decrease");
                        break;
                    }
                }

                return new IsotonicCalibrator(thresholds, values);
            case "sigmoid":
                return SigmoidCalibrator.Instance;
            case { } other:
                errors.Add($"$.calibrator.kind: expected 'platt', 'isotonic' or 'sigmoid', got '{other}'");
                return null;
            default:
                return null;
        }
    }
}
