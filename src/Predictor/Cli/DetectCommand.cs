using System.CommandLine;
using System.Globalization;
using Predictor.Learning.TimeSeries;
using Predictor.Learning.TimeSeries.Iid;
using Predictor.Learning.TimeSeries.SpectralResidual;
using Predictor.Learning.TimeSeries.Ssa;

namespace Predictor.Cli;

/// <summary>
/// <c>predictor detect</c>: runs one anomaly detector over a <c>timestamp,value</c> CSV and writes
/// <c>timestamp,value,score,alert</c> (plus <c>expected_value,upper_boundary,lower_boundary</c> for whole-series SR
/// with a margin or expected-value mode). Options and defaults are ML.NET's for each detector.
/// </summary>
internal static class DetectCommand
{
    private static readonly Option<string> Method = Choice("--method", "Detector: sr, iid-spike, iid-changepoint, ssa-spike or ssa-changepoint.", null, [.. SeriesDetection.MethodNames.Keys]);
    private static readonly Option<string> Input = new("--input") { Description = "CSV with lines timestamp,value (an optional header line).", Required = true };
    private static readonly Option<string> Out = new("--out") { Description = "Output CSV: timestamp,value,score,alert.", Required = true };
    private static readonly Option<double?> Confidence = new("--confidence") { Description = "IID/SSA confidence in (0,100). Default 99 for spikes, 95 for change points." };
    private static readonly Option<int> PvalueHistoryLength = Int("--pvalue-history-length", "Spike detectors: points the p-value is computed against.", 100);
    private static readonly Option<int> ChangeHistoryLength = Int("--change-history-length", "Change-point detectors: p-value history and martingale window.", 20);
    private static readonly Option<string> Side = Choice("--side", "Spike detectors: two-sided, positive or negative.", "two-sided", [.. DetectorOptionNames.Sides.Keys]);
    private static readonly Option<string> Martingale = Choice("--martingale", "Change-point detectors: power or mixture.", "power", [.. DetectorOptionNames.Martingales.Keys]);
    private static readonly Option<double> Epsilon = new("--power-martingale-epsilon") { Description = "ε of the power martingale, in (0,1).", DefaultValueFactory = _ => 0.1 };
    private static readonly Option<int> TrainingWindowSize = Int("--training-window-size", "SSA: points from the start used for training (they get no score).", 100);
    private static readonly Option<int> SeasonalWindowSize = Int("--seasonal-window-size", "SSA: window, an upper bound on the seasonality.", 10);
    private static readonly Option<string> Error = Choice("--error-function", "SSA: signed-difference, absolute-difference, signed-proportion, absolute-proportion or squared-difference.", "signed-difference", [.. DetectorOptionNames.ErrorFunctions.Keys]);
    private static readonly Option<int> WindowSize = Int("--window-size", "SR: points in the saliency window.", 64);
    private static readonly Option<int> BackAddWindowSize = Int("--back-add-window-size", "SR: extrapolated points appended.", 5);
    private static readonly Option<int> LookaheadWindowSize = Int("--lookahead-window-size", "SR: points the extrapolation uses.", 5);
    private static readonly Option<int> AveragingWindowSize = Int("--averaging-window-size", "SR: spectral moving-average width.", 3);
    private static readonly Option<int> JudgementWindowSize = Int("--judgement-window-size", "SR: saliency values the newest is compared with.", 21);
    private static readonly Option<double> Threshold = new("--threshold") { Description = "SR: score threshold in [0,1].", DefaultValueFactory = _ => 0.3 };
    private static readonly Option<bool> Entire = new("--entire") { Description = "SR: detect over the whole series in batches (DetectEntireAnomalyBySrCnn) instead of streaming." };
    private static readonly Option<int> BatchSize = Int("--batch-size", "Whole-series SR: points per batch, -1 for all.", 1024);
    private static readonly Option<double> Sensitivity = new("--sensitivity") { Description = "Whole-series SR: boundary sensitivity in [0,100].", DefaultValueFactory = _ => 99 };
    private static readonly Option<string> DetectMode = Choice("--detect-mode", "Whole-series SR: anomaly-only, anomaly-and-margin or anomaly-and-expected-value.", "anomaly-only", [.. DetectorOptionNames.DetectModes.Keys]);

    public static Command Create()
    {
        var command = new Command("detect", "Detect anomalies (spikes, change points) in a time series with ML.NET-compatible detectors.");
        Option[] options =
        [
            Method, Input, Out, Confidence, PvalueHistoryLength, ChangeHistoryLength, Side, Martingale, Epsilon,
            TrainingWindowSize, SeasonalWindowSize, Error, WindowSize, BackAddWindowSize, LookaheadWindowSize,
            AveragingWindowSize, JudgementWindowSize, Threshold, Entire, BatchSize, Sensitivity, DetectMode,
        ];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, ct) => Task.FromResult(Run(parseResult)));
        return command;
    }

    private static int Run(ParseResult parse)
    {
        string input = parse.GetValue(Input)!;
        string output = parse.GetValue(Out)!;
        var method = SeriesDetection.MethodNames[parse.GetValue(Method)!];
        if (!File.Exists(input))
        {
            return Fail(2, $"detect: input file '{input}' does not exist");
        }

        IReadOnlyList<TimeSeriesRow> rows;
        try
        {
            rows = TimeSeriesCsv.ReadFile(input);
        }
        catch (TimeSeriesCsvException ex)
        {
            return Fail(2, "detect: " + ex.Message);
        }

        var values = rows.Select(r => r.Value).ToArray();
        string[] header = ["timestamp", "value", "score", "alert"];
        List<string[]> lines;
        int alerts;
        try
        {
            if (method == DetectionMethod.Sr && parse.GetValue(Entire))
            {
                (lines, alerts, header) = RunEntire(parse, rows, values);
            }
            else
            {
                var detector = CreateDetector(parse, method);
                var scores = SeriesDetection.Run(detector, values);
                alerts = scores.Count(s => s.Alert);
                lines = rows.Select((r, i) => new[] { r.Timestamp, Num(r.Value), Num(scores[i].Score), scores[i].Alert ? "1" : "0" }).ToList();
            }
        }
        catch (DetectorOptionsException ex)
        {
            return Fail(2, "detect: " + string.Join("; ", ex.Errors));
        }

        try
        {
            using var writer = new StreamWriter(output);
            writer.Write(string.Join(',', header) + "\n");
            foreach (var line in lines)
            {
                writer.Write(string.Join(',', line) + "\n");
            }
        }
        catch (IOException ex)
        {
            return Fail(1, $"detect: cannot write '{output}': {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            return Fail(1, $"detect: cannot write '{output}': {ex.Message}");
        }

        Console.Error.WriteLine($"detect: {parse.GetValue(Method)} over {rows.Count} points, {alerts} alerts, written to {output}");
        return 0;
    }

    private static (List<string[]> Lines, int Alerts, string[] Header) RunEntire(ParseResult parse, IReadOnlyList<TimeSeriesRow> rows, double[] values)
    {
        var options = new SrCnnEntireOptions
        {
            Threshold = parse.GetValue(Threshold),
            BatchSize = parse.GetValue(BatchSize),
            Sensitivity = parse.GetValue(Sensitivity),
            DetectMode = DetectorOptionNames.DetectModes[parse.GetValue(DetectMode)!],
        };
        var points = SrCnnEntireDetector.Detect(values, options);
        bool extra = options.DetectMode != SrCnnDetectMode.AnomalyOnly;
        string[] header = extra
            ? ["timestamp", "value", "score", "alert", "expected_value", "upper_boundary", "lower_boundary"]
            : ["timestamp", "value", "score", "alert"];
        var lines = rows.Select((r, i) =>
        {
            var p = points[i];
            string[] basic = [r.Timestamp, Num(r.Value), Num(p.AnomalyScore), p.IsAnomaly ? "1" : "0"];
            return extra ? [.. basic, Num(p.ExpectedValue), Num(p.UpperBoundary), Num(p.LowerBoundary)] : basic;
        }).ToList();
        return (lines, points.Count(p => p.IsAnomaly), header);
    }

    private static IStreamingAnomalyDetector CreateDetector(ParseResult parse, DetectionMethod method)
    {
        double? confidence = parse.GetValue(Confidence);
        return method switch
        {
            DetectionMethod.Sr => new SrCnnDetector(new SrCnnDetectorOptions
            {
                WindowSize = parse.GetValue(WindowSize),
                BackAddWindowSize = parse.GetValue(BackAddWindowSize),
                LookaheadWindowSize = parse.GetValue(LookaheadWindowSize),
                AveragingWindowSize = parse.GetValue(AveragingWindowSize),
                JudgementWindowSize = parse.GetValue(JudgementWindowSize),
                Threshold = parse.GetValue(Threshold),
            }),
            DetectionMethod.IidSpike => new IidSpikeDetector(new IidSpikeDetectorOptions
            {
                Confidence = confidence ?? 99,
                PvalueHistoryLength = parse.GetValue(PvalueHistoryLength),
                Side = DetectorOptionNames.Sides[parse.GetValue(Side)!],
            }),
            DetectionMethod.IidChangePoint => new IidChangePointDetector(new IidChangePointDetectorOptions
            {
                Confidence = confidence ?? 95,
                ChangeHistoryLength = parse.GetValue(ChangeHistoryLength),
                Martingale = DetectorOptionNames.Martingales[parse.GetValue(Martingale)!],
                PowerMartingaleEpsilon = parse.GetValue(Epsilon),
            }),
            DetectionMethod.SsaSpike => new SsaSpikeDetector(new SsaSpikeDetectorOptions
            {
                Confidence = confidence ?? 99,
                PvalueHistoryLength = parse.GetValue(PvalueHistoryLength),
                TrainingWindowSize = parse.GetValue(TrainingWindowSize),
                SeasonalWindowSize = parse.GetValue(SeasonalWindowSize),
                Side = DetectorOptionNames.Sides[parse.GetValue(Side)!],
                ErrorFunction = DetectorOptionNames.ErrorFunctions[parse.GetValue(Error)!],
            }),
            _ => new SsaChangePointDetector(new SsaChangePointDetectorOptions
            {
                Confidence = confidence ?? 95,
                ChangeHistoryLength = parse.GetValue(ChangeHistoryLength),
                TrainingWindowSize = parse.GetValue(TrainingWindowSize),
                SeasonalWindowSize = parse.GetValue(SeasonalWindowSize),
                ErrorFunction = DetectorOptionNames.ErrorFunctions[parse.GetValue(Error)!],
                Martingale = DetectorOptionNames.Martingales[parse.GetValue(Martingale)!],
                PowerMartingaleEpsilon = parse.GetValue(Epsilon),
            }),
        };
    }

    private static string Num(double value) =>
        double.IsNaN(value) ? string.Empty : value.ToString("R", CultureInfo.InvariantCulture);

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine(message);
        return code;
    }

    private static Option<int> Int(string name, string description, int defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    private static Option<string> Choice(string name, string description, string? defaultValue, string[] allowed)
    {
        var option = new Option<string>(name) { Description = description };
        if (defaultValue is null)
        {
            option.Required = true;
        }
        else
        {
            option.DefaultValueFactory = _ => defaultValue;
        }

        option.AcceptOnlyFromAmong(allowed);
        return option;
    }
}
