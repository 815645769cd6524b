using System.CommandLine;
using Predictor.Learning.TimeSeries;
using Predictor.Learning.TimeSeries.SpectralResidual;
using Predictor.Learning.Workflows;

namespace Predictor.Cli;

/// <summary><c>predictor detect</c>: the options of <see cref="DetectRequest"/>; <see cref="DetectRunner"/> does the work.</summary>
internal static class DetectCommand
{
    private static readonly Option<string> Method = Choice("--method", "Detector: sr, iid-spike, iid-changepoint, ssa-spike, ssa-changepoint or novelty.", null, [.. SeriesDetection.MethodNames.Keys]);
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
    private static readonly Option<int> Period = Int("--period", "Whole-series SR: points per cycle of a periodic series, 0 for none.", 0);
    private static readonly Option<string> Deseasonality = Choice("--deseasonality", "Whole-series SR with --period: stl, median or mean.", "stl", [.. DetectorOptionNames.DeseasonalityModes.Keys]);
    private static readonly Option<bool> Raw = new("--raw") { Description = "Add ML.NET's raw outputs: raw_score, p_value, martingale, mag (whole-series SR: mag, expected_value, boundary_unit, upper/lower_boundary)." };
    private static readonly Option<string> DetectMode = Choice("--detect-mode", "Whole-series SR: anomaly-only, anomaly-and-margin or anomaly-and-expected-value.", "anomaly-only", [.. DetectorOptionNames.DetectModes.Keys]);

    public static Command Create()
    {
        var command = new Command("detect", "Detect anomalies (spikes, change points) in a time series with ML.NET-compatible detectors.");
        Option[] options =
        [
            Method, Input, Out, Confidence, PvalueHistoryLength, ChangeHistoryLength, Side, Martingale, Epsilon,
            TrainingWindowSize, SeasonalWindowSize, Error, WindowSize, BackAddWindowSize, LookaheadWindowSize,
            AveragingWindowSize, JudgementWindowSize, Threshold, Entire, BatchSize, Sensitivity, DetectMode, Period, Deseasonality, Raw,
        ];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, ct) => Task.FromResult(Run(parseResult)));
        return command;
    }

    private static int Run(ParseResult parse) =>
        DetectWorkflow.Run(parse.GetValue(Input)!, parse.GetValue(Out)!, parse.GetValue(Method)!, () => Request(parse), Console.Error);

    private static DetectRequest Request(ParseResult parse) => new()
    {
        Method = SeriesDetection.MethodNames[parse.GetValue(Method)!],
        Entire = parse.GetValue(Entire),
        Raw = parse.GetValue(Raw),
        Confidence = parse.GetValue(Confidence),
        PvalueHistoryLength = parse.GetValue(PvalueHistoryLength),
        ChangeHistoryLength = parse.GetValue(ChangeHistoryLength),
        Side = DetectorOptionNames.Sides[parse.GetValue(Side)!],
        Martingale = DetectorOptionNames.Martingales[parse.GetValue(Martingale)!],
        PowerMartingaleEpsilon = parse.GetValue(Epsilon),
        TrainingWindowSize = parse.GetValue(TrainingWindowSize),
        SeasonalWindowSize = parse.GetValue(SeasonalWindowSize),
        ErrorFunction = DetectorOptionNames.ErrorFunctions[parse.GetValue(Error)!],
        Sr = new SrCnnDetectorOptions
        {
            WindowSize = parse.GetValue(WindowSize),
            BackAddWindowSize = parse.GetValue(BackAddWindowSize),
            LookaheadWindowSize = parse.GetValue(LookaheadWindowSize),
            AveragingWindowSize = parse.GetValue(AveragingWindowSize),
            JudgementWindowSize = parse.GetValue(JudgementWindowSize),
            Threshold = parse.GetValue(Threshold),
        },
        SrEntire = new SrCnnEntireOptions
        {
            Threshold = parse.GetValue(Threshold),
            BatchSize = parse.GetValue(BatchSize),
            Sensitivity = parse.GetValue(Sensitivity),
            DetectMode = DetectorOptionNames.DetectModes[parse.GetValue(DetectMode)!],
            Period = parse.GetValue(Period),
            DeseasonalityMode = DetectorOptionNames.DeseasonalityModes[parse.GetValue(Deseasonality)!],
        },
    };

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
