using System.Globalization;
using System.Text;
using Predictor.Learning.TimeSeries.Baselines;
using Predictor.Learning.TimeSeries.Novelty;
using Predictor.Learning.TimeSeries.SpectralResidual;

namespace Predictor.Learning.TimeSeries.Nab;

/// <summary>Runs detectors over a NAB corpus and scores each with <see cref="NabScorer"/>.</summary>
public static class NabBenchmark
{
    /// <summary>The detectors <c>predictor nab</c> can score: a name and the per-row scores it gives a series.</summary>
    public static IReadOnlyDictionary<string, Func<double[], double[]>> Detectors { get; } = new Dictionary<string, Func<double[], double[]>>(StringComparer.Ordinal)
    {
        ["windowed-gaussian"] = v => Streamed(new WindowedGaussianDetector(), v),
        ["sr"] = v => Streamed(SeriesDetection.CreateDefault(DetectionMethod.Sr), v),
        ["sr-entire"] = v => v.Length < SrCnnEntireDetector.MinimumPoints ? new double[v.Length] : SrCnnEntireDetector.Detect(v, new SrCnnEntireOptions()).Select(p => p.AnomalyScore).ToArray(),
        ["iid-spike"] = v => Streamed(SeriesDetection.CreateDefault(DetectionMethod.IidSpike), v),
        ["ssa-spike"] = v => Streamed(SeriesDetection.CreateDefault(DetectionMethod.SsaSpike), v),
        ["novelty"] = v => Streamed(new NoveltyDetector(new NoveltyDetectorOptions()), v),
    };

    public static NabResult Run(IReadOnlyList<NabSeries> corpus, Func<double[], double[]> detector, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(detector);
        var detections = new NabDetections[corpus.Count];
        Parallel.For(0, corpus.Count, i => detections[i] = new NabDetections(corpus[i], detector(corpus[i].Values)));
        return NabScorer.Score(detections, profile);
    }

    public static double[] Streamed(IStreamingAnomalyDetector detector, double[] values)
    {
        var scores = SeriesDetection.Run(detector, values);
        return scores.Select(s => double.IsNaN(s.Score) ? 0 : s.Score).ToArray();
    }

    /// <summary>The detectors <c>predictor nab</c> scores when none are named: the baseline, SR with its defaults, the novelty detector.</summary>
    public static IReadOnlyList<string> DefaultDetectors { get; } = ["windowed-gaussian", "sr", "sr-entire", "novelty"];

    /// <summary>A Markdown table of the results: normalised score, raw score, threshold, windows caught, false positives; optionally per series.</summary>
    public static string Table(IReadOnlyList<(string Detector, NabResult Result)> results, bool perFile)
    {
        ArgumentNullException.ThrowIfNull(results);
        var sb = new StringBuilder();
        sb.AppendLine("| detector | NAB standard score | raw | null | perfect | threshold | windows detected | false-positive rows |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var (name, r) in results)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {r.NormalisedScore:0.0} | {r.RawScore:0.00} | {r.NullScore:0.00} | {r.PerfectScore:0.00} | {r.Threshold:0.######} | {r.DetectedWindows}/{r.Windows} | {r.FalsePositives} |");
        }

        if (perFile)
        {
            foreach (var (name, r) in results)
            {
                sb.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"{name}: | series | score | windows detected | false-positive rows |").AppendLine("|---|---|---|---|");
                foreach (var f in r.Files)
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"| {f.Name} | {f.Score:0.000} | {f.DetectedWindows}/{f.Windows} | {f.FalsePositives} |");
                }
            }
        }

        return sb.ToString();
    }
}
