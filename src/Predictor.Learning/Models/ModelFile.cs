using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Predictor.Learning.Calibration;

namespace Predictor.Learning.Models;

/// <summary>
/// The model file: one self-describing JSON object. Format <c>predictor-model</c>, version 1:
/// <c>format, formatVersion, kind (gbdt|logistic), createdAt, features (names in order), training
/// (source, label, group, time, excluded, rows, positives, horizonHours, options), metrics, calibrator,
/// and for gbdt: binning (per feature: upper bounds of the value bins), baseScore, trees; for logistic:
/// means, scales, weights, bias</c>. See <see cref="ModelFileReader"/> for what loading checks.
/// </summary>
internal static class ModelFile
{
    public const string Format = "predictor-model";
    public const int Version = 1;

    public static void Save(TrainedModel model, string path) => File.WriteAllText(path, ToJson(model));

    public static string ToJson(TrainedModel model)
    {
        var root = new JsonObject
        {
            ["format"] = Format,
            ["formatVersion"] = Version,
            ["kind"] = model.Kind,
            ["createdAt"] = model.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["features"] = Array(model.Features.Select(f => (JsonNode?)f)),
            ["training"] = new JsonObject
            {
                ["source"] = model.Training.Source,
                ["label"] = model.Training.Label,
                ["group"] = model.Training.Group,
                ["time"] = model.Training.Time,
                ["excluded"] = Array(model.Training.Excluded.Select(e => (JsonNode?)e)),
                ["rows"] = model.Training.Rows,
                ["positives"] = model.Training.Positives,
                ["horizonHours"] = model.Training.HorizonHours,
                ["options"] = model.Training.Options.DeepClone(),
            },
            ["metrics"] = model.Metrics.DeepClone(),
            ["calibrator"] = Calibrator(model.Calibrator),
        };
        if (model.Gbdt is { } gbdt)
        {
            root["binning"] = Array(gbdt.Binning.Select(b => (JsonNode?)Numbers(b.UpperBounds)));
            root["baseScore"] = gbdt.BaseScore;
            root["trees"] = Array(gbdt.Trees.Select(t => (JsonNode?)new JsonObject
            {
                ["splitFeature"] = Numbers(t.SplitFeature),
                ["thresholdBin"] = Numbers(t.ThresholdBin),
                ["threshold"] = Numbers(t.Threshold),
                ["defaultLeft"] = Array(t.DefaultLeft.Select(d => (JsonNode?)d)),
                ["left"] = Numbers(t.Left),
                ["right"] = Numbers(t.Right),
                ["gain"] = Numbers(t.Gain),
                ["cover"] = Numbers(t.InternalCover),
                ["leafValue"] = Numbers(t.LeafValue),
                ["leafCover"] = Numbers(t.LeafCover),
            }));
            var gains = gbdt.GainImportance();
            var importance = new JsonObject();
            for (var f = 0; f < gains.Length; f++)
            {
                importance[model.Features[f]] = gains[f];
            }

            root["gainImportance"] = importance;
        }
        else if (model.Logistic is { } logistic)
        {
            root["means"] = Numbers(logistic.Means);
            root["scales"] = Numbers(logistic.Scales);
            root["weights"] = Numbers(logistic.Weights);
            root["bias"] = logistic.Bias;
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static JsonObject Calibrator(ICalibrator calibrator) => calibrator switch
    {
        PlattCalibrator p => new JsonObject { ["kind"] = p.Kind, ["slope"] = p.Slope, ["offset"] = p.Offset },
        IsotonicCalibrator i => new JsonObject { ["kind"] = i.Kind, ["thresholds"] = Numbers(i.Thresholds), ["values"] = Numbers(i.Values) },
        _ => new JsonObject { ["kind"] = calibrator.Kind },
    };

    private static JsonArray Array(IEnumerable<JsonNode?> items) => new([.. items]);

    private static JsonArray Numbers(float[] values) => Array(values.Select(v => (JsonNode?)JsonValue.Create(v)));

    private static JsonArray Numbers(double[] values) => Array(values.Select(v => (JsonNode?)JsonValue.Create(v)));

    private static JsonArray Numbers(int[] values) => Array(values.Select(v => (JsonNode?)JsonValue.Create(v)));
}
