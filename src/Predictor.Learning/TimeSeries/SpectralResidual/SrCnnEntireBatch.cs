using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace Predictor.Learning.TimeSeries.SpectralResidual;

/// <summary>
/// One batch of <see cref="SrCnnEntireDetector"/>. With a period, the series is first deseasonalised
/// (<see cref="SrCnnDeseasonality"/>). The batch is extended by 5 extrapolated points, its saliency map is computed with
/// a 3-bin spectral average, and each point's score is <c>|S − S̄| / S̄ / 10</c> clamped to [0, 1], with S̄ the trailing
/// mean over 40 points — except that the first 12 points share the mean of the first 11, so that an early point is not
/// judged against itself. An alert within 1.5 standard deviations of the batch mean (or in a batch without variance)
/// is dropped and scores 0. The expected value (without a period) is the series with high-score points (score &gt; 0.35)
/// replaced by a local linear fit, low-pass filtered (DFT bins between 3N/8 and 5N/8 removed); with a period it is the
/// seasonal component (plus trend). It is clamped at 0 for a series that never goes negative (or never positive).
/// In margin mode a point stays an anomaly only outside its boundaries (expected ± unit · factor(sensitivity)); with a
/// period, the points between two anomalies of one run of out-of-bound points become anomalies too. A normal point's
/// expected value (and its boundaries with it) is moved to within the sensitivity-93 margin of the point, so that
/// every normal point lies within its own boundaries.
/// </summary>
internal static class SrCnnEntireBatch
{
    private const int LookaheadWindowSize = 5;
    private const int BackAddWindowSize = 5;
    private const int AveragingWindowSize = 3;
    private const int JudgementWindowSize = 40;
    private const int MinimumScoreWindowSize = 11;
    private const double Eps = 1e-8;
    private const double DeanomalyThreshold = 0.35;
    private const double ZScoreThreshold = 1.5;

    public static SrCnnEntirePoint[] Detect(double[] values, SrCnnEntireOptions options)
    {
        int n = values.Length;
        double mean = values.Average();
        double std = Math.Sqrt(Math.Max(values.Sum(v => v * v) / n - (mean * mean), 0));
        var detected = options.Period > 0 ? SrCnnDeseasonality.Residual(values, options.Period, options.DeseasonalityMode) : values;
        var scores = Saliency(detected, out var mags);
        var result = new SrCnnEntirePoint[n];
        for (int i = 0; i < n; i++)
        {
            double score = scores[i];
            bool anomaly = score > options.Threshold;
            if (anomaly && (std < Eps || Math.Abs(detected[i] - mean) / std < ZScoreThreshold))
            {
                anomaly = false;
                score = 0;
            }

            result[i] = new SrCnnEntirePoint(anomaly, score, mags[i], double.NaN, double.NaN, double.NaN, double.NaN);
        }

        if (options.DetectMode == SrCnnDetectMode.AnomalyOnly)
        {
            return result;
        }

        var expected = options.Period > 0
            ? values.Select((v, i) => v - detected[i]).ToArray()
            : ExpectedValues(values, result.Select(r => r.AnomalyScore).ToArray());
        // ML.NET clamps the reported expected value; without a period the boundaries of an anomaly stay around the unclamped one
        var clamped = ClampToSign(values, expected);
        if (options.DetectMode == SrCnnDetectMode.AnomalyAndExpectedValue)
        {
            return [.. result.Select((r, i) => r with { ExpectedValue = clamped[i] })];
        }

        var centres = options.Period > 0 ? clamped : expected;
        var units = SrCnnMargin.BoundaryUnits(values, [.. result.Select(r => r.IsAnomaly)]);
        var anomalies = new bool[n];
        for (int i = 0; i < n; i++)
        {
            double margin = SrCnnMargin.Margin(units[i], options.Sensitivity);
            anomalies[i] = result[i].IsAnomaly && (values[i] < centres[i] - margin || values[i] > centres[i] + margin);
        }

        if (options.Period > 0)
        {
            FillBetweenAnomalies(values, centres, units, options.Sensitivity, anomalies);
        }

        for (int i = 0; i < n; i++)
        {
            double margin = SrCnnMargin.Margin(units[i], options.Sensitivity);
            double score = SrCnnMargin.AnomalyScore(values[i], centres[i], units[i], anomalies[i]);
            double reported = clamped[i];
            double centre = centres[i];
            if (!anomalies[i])
            {
                double bound = SrCnnMargin.Margin(units[i], SrCnnMargin.BoundSensitivity);
                reported = Math.Max(Math.Min(reported, values[i] + bound), values[i] - bound);
                centre = reported;
            }

            result[i] = new SrCnnEntirePoint(anomalies[i], score, mags[i], reported, units[i], centre + margin, centre - margin);
        }

        return result;
    }

    /// <summary>Expected values clamped at 0 for a series that never goes negative (or never positive).</summary>
    private static double[] ClampToSign(double[] values, double[] expected)
    {
        bool nonNegative = values.Min() >= 0;
        bool nonPositive = values.Max() <= 0;
        return [.. expected.Select(e => nonNegative && e < 0 ? 0 : nonPositive && e > 0 ? 0 : e)];
    }

    /// <summary>
    /// Runs of consecutive out-of-bound points, as ML.NET collects them (a run that starts at the first point is only
    /// closed by a later run), and, for two successive anomalies inside one run, every point from the first up to the second.
    /// </summary>
    private static void FillBetweenAnomalies(double[] values, double[] expected, double[] units, double sensitivity, bool[] anomalies)
    {
        var segments = new List<(int Start, int End)>();
        int start = -1;
        int cursor = -1;
        for (int i = 0; i < values.Length; i++)
        {
            double margin = SrCnnMargin.Margin(units[i], sensitivity);
            if (values[i] < expected[i] - margin || values[i] > expected[i] + margin)
            {
                if (cursor + 1 == i)
                {
                    cursor = i;
                }
                else
                {
                    if (start > -1)
                    {
                        segments.Add((start, cursor));
                    }

                    start = i;
                    cursor = i;
                }
            }
        }

        if (start > -1)
        {
            segments.Add((start, Math.Max(start, cursor)));
        }

        var indices = Enumerable.Range(0, values.Length).Where(i => anomalies[i]).ToList();
        int s = 0;
        for (int k = 0; k + 1 < indices.Count; k++)
        {
            while (s < segments.Count && indices[k] >= segments[s].End)
            {
                s++;
            }

            if (s < segments.Count && segments[s].Start <= indices[k] && indices[k + 1] <= segments[s].End)
            {
                for (int j = indices[k]; j < indices[k + 1]; j++)
                {
                    anomalies[j] = true;
                }
            }
        }
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

        var averaged = SrCnnEntireDetector.TrailingMean(logMag, AveragingWindowSize);
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

        var judged = SrCnnEntireDetector.TrailingMean(saliency, Math.Min(length, JudgementWindowSize));
        int early = Math.Min(length, MinimumScoreWindowSize);
        double earlyMean = judged[early - 1];
        for (int i = 0; i <= early && i < length; i++)
        {
            judged[i] = earlyMean;
        }

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
        return [.. spectrum.Select(c => c.Real)];
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
