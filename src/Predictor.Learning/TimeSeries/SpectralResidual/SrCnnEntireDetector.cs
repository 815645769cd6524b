using System.Numerics;
using MathNet.Numerics.IntegralTransforms;
using Predictor.Learning.TimeSeries.Scoring;

namespace Predictor.Learning.TimeSeries.SpectralResidual;

/// <summary>What <see cref="SrCnnEntireDetector"/> computes besides the anomaly flag (ML.NET's <c>SrCnnDetectMode</c>).</summary>
public enum SrCnnDetectMode
{
    /// <summary>IsAnomaly, AnomalyScore, Mag.</summary>
    AnomalyOnly,

    /// <summary>Also ExpectedValue, BoundaryUnit, UpperBoundary, LowerBoundary; a point is an anomaly only outside the boundaries.</summary>
    AnomalyAndMargin,

    /// <summary>Also ExpectedValue.</summary>
    AnomalyAndExpectedValue,
}

/// <summary>Options of <see cref="SrCnnEntireDetector"/>; names and defaults are ML.NET's <c>DetectEntireAnomalyBySrCnn</c>.</summary>
public sealed record SrCnnEntireOptions
{
    /// <summary>Score in [0, 1] above which a point is an anomaly.</summary>
    /// <value>The default value is 0.3.</value>
    public double Threshold { get; init; } = 0.3;

    /// <summary>Points detected together; −1 for the whole series. At least 12 otherwise.</summary>
    /// <value>The default value is 1024.</value>
    public int BatchSize { get; init; } = 1024;

    /// <summary>Sensitivity in [0, 100] of the boundaries (margin mode): higher gives narrower boundaries.</summary>
    /// <value>The default value is 99.</value>
    public double Sensitivity { get; init; } = 99;

    /// <summary>What to compute.</summary>
    /// <value>The default value is <see cref="SrCnnDetectMode.AnomalyOnly"/>.</value>
    public SrCnnDetectMode DetectMode { get; init; } = SrCnnDetectMode.AnomalyOnly;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(Threshold >= 0 && Threshold <= 1))
        {
            errors.Add($"{nameof(Threshold)} must be in [0, 1], got {Threshold}");
        }

        if (BatchSize != -1 && BatchSize < SrCnnEntireDetector.MinimumPoints)
        {
            errors.Add($"{nameof(BatchSize)} must be -1 (whole series) or at least {SrCnnEntireDetector.MinimumPoints}, got {BatchSize}");
        }

        if (!(Sensitivity >= 0 && Sensitivity <= 100))
        {
            errors.Add($"{nameof(Sensitivity)} must be in [0, 100], got {Sensitivity}");
        }

        OptionChecks.Defined(errors, nameof(DetectMode), DetectMode);
        return errors;
    }
}

/// <summary>One output row of <see cref="SrCnnEntireDetector"/>; columns the mode does not compute are NaN.</summary>
public readonly record struct SrCnnEntirePoint(
    bool IsAnomaly, double AnomalyScore, double Mag, double ExpectedValue, double BoundaryUnit, double UpperBoundary, double LowerBoundary);

/// <summary>
/// Spectral residual over a whole series in batches (ML.NET <c>DetectEntireAnomalyBySrCnn</c>): each batch is
/// extended by 5 extrapolated points, its saliency map is computed with a 3-bin spectral average, and each point's
/// score is <c>|S − S̄| / S̄ / 10</c> clamped to [0, 1] with S̄ the trailing mean over 40 points. The expected value
/// is the series with high-score points (score &gt; 0.35) replaced by a local linear fit and then low-pass filtered
/// (DFT bins between 3N/8 and 5N/8 removed); the boundary unit mixes the absolute running median
/// (window min(N/3, 512)) with its mean over normal points, at least 1; the margin is the unit times a factor
/// that is 1 at sensitivity 50 and grows or shrinks geometrically away from it; in margin mode a point stays an
/// anomaly only outside its boundaries and its score becomes the sensitivity (÷100) at which it would first fall outside.
/// A last partial batch is detected together with the points before it so that every batch has the full size.
/// </summary>
public static class SrCnnEntireDetector
{
    /// <summary>The fewest points a batch (or the whole series) may have.</summary>
    public const int MinimumPoints = 12;

    private const int LookaheadWindowSize = 5;
    private const int BackAddWindowSize = 5;
    private const int AveragingWindowSize = 3;
    private const int JudgementWindowSize = 40;
    private const double Eps = 1e-8;
    private const double DeanomalyThreshold = 0.35;

    public static SrCnnEntirePoint[] Detect(ReadOnlySpan<double> series, SrCnnEntireOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate().ToList();
        if (series.Length < MinimumPoints)
        {
            errors.Add($"the series has {series.Length} points, the detector needs at least {MinimumPoints}");
        }

        for (int i = 0; i < series.Length; i++)
        {
            if (!double.IsFinite(series[i]))
            {
                errors.Add($"point {i} is {series[i]}, expected a finite number");
                break;
            }
        }

        DetectorOptionsException.ThrowIfAny(errors);
        int batch = options.BatchSize == -1 ? series.Length : Math.Min(options.BatchSize, series.Length);
        var results = new SrCnnEntirePoint[series.Length];
        for (int start = 0; start < series.Length; start += batch)
        {
            int end = Math.Min(start + batch, series.Length);
            int from = Math.Max(0, end - batch);
            var values = series[from..end].ToArray();
            var batchResults = DetectBatch(values, options);
            Array.Copy(batchResults, start - from, results, start, end - start);
        }

        return results;
    }

    private static SrCnnEntirePoint[] DetectBatch(double[] values, SrCnnEntireOptions options)
    {
        int n = values.Length;
        var scores = Saliency(values, out var mags);
        var result = new SrCnnEntirePoint[n];
        for (int i = 0; i < n; i++)
        {
            result[i] = new SrCnnEntirePoint(scores[i] > options.Threshold, scores[i], mags[i], double.NaN, double.NaN, double.NaN, double.NaN);
        }

        if (options.DetectMode == SrCnnDetectMode.AnomalyOnly)
        {
            return result;
        }

        var expected = ExpectedValues(values, scores);
        if (options.DetectMode == SrCnnDetectMode.AnomalyAndExpectedValue)
        {
            for (int i = 0; i < n; i++)
            {
                result[i] = result[i] with { ExpectedValue = expected[i] };
            }

            return result;
        }

        var units = SrCnnMargin.BoundaryUnits(values, result.Select(r => r.IsAnomaly).ToArray());
        for (int i = 0; i < n; i++)
        {
            double margin = SrCnnMargin.Margin(units[i], options.Sensitivity);
            double upper = expected[i] + margin;
            double lower = expected[i] - margin;
            bool anomaly = result[i].IsAnomaly && (values[i] < lower || values[i] > upper);
            double score = SrCnnMargin.AnomalyScore(values[i], expected[i], units[i], result[i].IsAnomaly);
            result[i] = new SrCnnEntirePoint(anomaly, score, mags[i], expected[i], units[i], upper, lower);
        }

        return result;
    }

    internal static double[] Saliency(double[] values, out double[] mags)
    {
        int n = values.Length;
        int length = n + BackAddWindowSize;
        var predict = values.AsSpan(n - LookaheadWindowSize - 2, LookaheadWindowSize + 1);
        double slopeSum = 0;
        for (int i = 0; i < predict.Length - 1; i++)
        {
            slopeSum += (predict[^1] - predict[i]) / (predict.Length - 1 - i);
        }

        double extrapolated = predict[1] + slopeSum;
        var spectrum = new Complex[length];
        for (int i = 0; i < length; i++)
        {
            spectrum[i] = i < n ? values[i] : extrapolated;
        }

        Fourier.Forward(spectrum, FourierOptions.Matlab);
        var logMag = new double[length];
        for (int i = 0; i < length; i++)
        {
            double mag = spectrum[i].Magnitude;
            logMag[i] = mag > Eps ? Math.Log(mag) : 0;
        }

        var averaged = TrailingMean(logMag, AveragingWindowSize);
        for (int i = 0; i < length; i++)
        {
            spectrum[i] = logMag[i] != 0 ? spectrum[i] * (Math.Exp(logMag[i] - averaged[i]) / spectrum[i].Magnitude) : Complex.Zero;
        }

        Fourier.Inverse(spectrum, FourierOptions.Matlab);
        var saliency = new double[length];
        for (int i = 0; i < length; i++)
        {
            saliency[i] = spectrum[i].Magnitude;
        }

        var judged = TrailingMean(saliency, Math.Min(length, JudgementWindowSize));
        var scores = new double[n];
        mags = new double[n];
        for (int i = 0; i < n; i++)
        {
            double divisor = Math.Abs(judged[i]) < Eps ? Eps : judged[i];
            scores[i] = Math.Clamp(Math.Abs(saliency[i] - judged[i]) / divisor / 10.0, 0, 1);
            mags[i] = saliency[i];
        }

        return scores;
    }

    /// <summary>Mean of the last <paramref name="width"/> values up to each index (fewer at the start).</summary>
    internal static double[] TrailingMean(ReadOnlySpan<double> data, int width)
    {
        var result = new double[data.Length];
        double running = 0;
        for (int i = 0; i < data.Length; i++)
        {
            running += data[i];
            if (i >= width)
            {
                running -= data[i - width];
            }

            result[i] = running / Math.Min(i + 1, width);
        }

        return result;
    }

    private static double[] ExpectedValues(double[] values, double[] scores)
    {
        int n = values.Length;
        var isOutlier = scores.Select(s => s > DeanomalyThreshold).ToArray();
        var clean = (double[])values.Clone();
        for (int idx = 0; idx < n; idx++)
        {
            if (!isOutlier[idx])
            {
                continue;
            }

            // Fit a line to at least 4 normal neighbours, widening the neighbourhood by 2 on each side.
            int step = 1;
            List<int> neighbours;
            while (true)
            {
                int lo = Math.Max(idx - step, 0);
                int hi = Math.Min(n - 1, idx + step);
                neighbours = Enumerable.Range(lo, hi - lo + 1).Where(i => !isOutlier[i]).ToList();
                if (neighbours.Count >= 4 || (lo == 0 && hi == n - 1))
                {
                    break;
                }

                step += 2;
            }

            if (neighbours.Count > 1)
            {
                clean[idx] = LinearFitAt(neighbours, values, idx);
            }
        }

        var spectrum = clean.Select(v => new Complex(v, 0)).ToArray();
        Fourier.Forward(spectrum, FourierOptions.Matlab);
        for (int i = 0; i < n; i++)
        {
            if (i > n * 3.0 / 8 && i < n * 5.0 / 8)
            {
                spectrum[i] = Complex.Zero;
            }
        }

        Fourier.Inverse(spectrum, FourierOptions.Matlab);
        return spectrum.Select(c => c.Real).ToArray();
    }

    private static double LinearFitAt(List<int> xs, double[] values, int at)
    {
        double count = xs.Count;
        double sumX = 0;
        double sumY = 0;
        double sumXx = 0;
        double sumXy = 0;
        foreach (int x in xs)
        {
            sumX += x;
            sumY += values[x];
            sumXx += (double)x * x;
            sumXy += x * values[x];
        }

        double denominator = (count * sumXx) - (sumX * sumX);
        double slope = ((count * sumXy) - (sumX * sumY)) / denominator;
        double intercept = ((sumXx * sumY) - (sumX * sumXy)) / denominator;
        return (slope * at) + intercept;
    }
}
