using System.Globalization;
using Predictor.Learning.TimeSeries.Novelty;
using Predictor.Learning.TimeSeries.Iid;
using Predictor.Learning.TimeSeries.SpectralResidual;
using Predictor.Learning.TimeSeries.Ssa;

namespace Predictor.Learning.TimeSeries;

/// <summary>What <c>predictor detect</c> runs: the method and every option, defaults ML.NET's (confidence: 99 for spikes, 95 for change points).</summary>
public sealed record DetectRequest
{
    public DetectionMethod Method { get; init; }

    /// <summary>SR over the whole series in batches (<see cref="SrCnnEntireDetector"/>) instead of streaming.</summary>
    public bool Entire { get; init; }

    /// <summary>Adds ML.NET's raw output columns.</summary>
    public bool Raw { get; init; }

    public double? Confidence { get; init; }

    public int PvalueHistoryLength { get; init; } = 100;

    public int ChangeHistoryLength { get; init; } = 20;

    public AnomalySide Side { get; init; } = AnomalySide.TwoSided;

    public MartingaleType Martingale { get; init; } = MartingaleType.Power;

    public double PowerMartingaleEpsilon { get; init; } = 0.1;

    public int TrainingWindowSize { get; init; } = 100;

    public int SeasonalWindowSize { get; init; } = 10;

    public ErrorFunction ErrorFunction { get; init; } = ErrorFunction.SignedDifference;

    public SrCnnDetectorOptions Sr { get; init; } = new();

    public SrCnnEntireOptions SrEntire { get; init; } = new();
}

/// <summary>The CSV <c>predictor detect</c> writes: a header, one line per input row, and the number of alerts.</summary>
public sealed record DetectTable(IReadOnlyList<string> Header, IReadOnlyList<string[]> Lines, int Alerts)
{
    public void Write(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(string.Join(',', Header) + "\n");
        foreach (var line in Lines)
        {
            writer.Write(string.Join(',', line) + "\n");
        }
    }
}

/// <summary>
/// Runs one detector over a series for <c>predictor detect</c>: columns timestamp, value, score, alert; with
/// <see cref="DetectRequest.Raw"/> also ML.NET's outputs — raw_score, p_value, martingale, mag for the streaming
/// detectors, and mag, expected_value, boundary_unit, upper_boundary, lower_boundary for whole-series SR (empty where
/// the detector or mode does not compute them). Whole-series SR in a margin or expected-value mode always adds
/// expected_value, upper_boundary, lower_boundary.
/// </summary>
public static class DetectRunner
{
    /// <exception cref="DetectorOptionsException">An option is invalid; every problem is listed.</exception>
    public static DetectTable Run(IReadOnlyList<TimeSeriesRow> rows, DetectRequest request)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(request);
        var values = rows.Select(r => r.Value).ToArray();
        if (request.Method == DetectionMethod.Sr && request.Entire)
        {
            return RunEntire(rows, values, request);
        }

        var scores = SeriesDetection.Run(Create(request), values);
        string[] header = request.Raw
            ? ["timestamp", "value", "score", "alert", "raw_score", "p_value", "martingale", "mag"]
            : ["timestamp", "value", "score", "alert"];
        var lines = rows.Select((r, i) =>
        {
            var s = scores[i];
            string[] basic = [r.Timestamp, Num(r.Value), Num(s.Score), s.Alert ? "1" : "0"];
            return request.Raw ? [.. basic, Num(s.RawScore), Num(s.PValue), Num(s.Martingale), Num(s.Magnitude)] : basic;
        }).ToList();
        return new DetectTable(header, lines, scores.Count(s => s.Alert));
    }

    /// <summary>The streaming detector a request describes.</summary>
    public static IStreamingAnomalyDetector Create(DetectRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        double? confidence = request.Confidence;
        return request.Method switch
        {
            DetectionMethod.Sr => new SrCnnDetector(request.Sr),
            DetectionMethod.IidSpike => new IidSpikeDetector(new IidSpikeDetectorOptions
            {
                Confidence = confidence ?? 99,
                PvalueHistoryLength = request.PvalueHistoryLength,
                Side = request.Side,
            }),
            DetectionMethod.IidChangePoint => new IidChangePointDetector(new IidChangePointDetectorOptions
            {
                Confidence = confidence ?? 95,
                ChangeHistoryLength = request.ChangeHistoryLength,
                Martingale = request.Martingale,
                PowerMartingaleEpsilon = request.PowerMartingaleEpsilon,
            }),
            DetectionMethod.SsaSpike => new SsaSpikeDetector(new SsaSpikeDetectorOptions
            {
                Confidence = confidence ?? 99,
                PvalueHistoryLength = request.PvalueHistoryLength,
                TrainingWindowSize = request.TrainingWindowSize,
                SeasonalWindowSize = request.SeasonalWindowSize,
                Side = request.Side,
                ErrorFunction = request.ErrorFunction,
            }),
            DetectionMethod.SsaChangePoint => new SsaChangePointDetector(new SsaChangePointDetectorOptions
            {
                Confidence = confidence ?? 95,
                ChangeHistoryLength = request.ChangeHistoryLength,
                TrainingWindowSize = request.TrainingWindowSize,
                SeasonalWindowSize = request.SeasonalWindowSize,
                ErrorFunction = request.ErrorFunction,
                Martingale = request.Martingale,
                PowerMartingaleEpsilon = request.PowerMartingaleEpsilon,
            }),
            DetectionMethod.Novelty => new NoveltyDetector(new NoveltyDetectorOptions()),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Method, "Unknown detection method."),
        };
    }

    private static DetectTable RunEntire(IReadOnlyList<TimeSeriesRow> rows, double[] values, DetectRequest request)
    {
        var options = request.SrEntire;
        var points = SrCnnEntireDetector.Detect(values, options);
        bool bounds = options.DetectMode != SrCnnDetectMode.AnomalyOnly;
        List<string> header = ["timestamp", "value", "score", "alert"];
        if (request.Raw)
        {
            header.AddRange(["mag", "expected_value", "boundary_unit", "upper_boundary", "lower_boundary"]);
        }
        else if (bounds)
        {
            header.AddRange(["expected_value", "upper_boundary", "lower_boundary"]);
        }

        var lines = rows.Select((r, i) =>
        {
            var p = points[i];
            string[] basic = [r.Timestamp, Num(r.Value), Num(p.AnomalyScore), p.IsAnomaly ? "1" : "0"];
            return request.Raw
                ? [.. basic, Num(p.Mag), Num(p.ExpectedValue), Num(p.BoundaryUnit), Num(p.UpperBoundary), Num(p.LowerBoundary)]
                : bounds ? [.. basic, Num(p.ExpectedValue), Num(p.UpperBoundary), Num(p.LowerBoundary)] : basic;
        }).ToList();
        return new DetectTable(header, lines, points.Count(p => p.IsAnomaly));
    }

    private static string Num(double value) =>
        double.IsNaN(value) ? string.Empty : value.ToString("R", CultureInfo.InvariantCulture);
}
