using System.Numerics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.IntegralTransforms;

namespace Predictor.Learning.TimeSeries.Seasonality;

/// <summary>
/// The period of a series, or −1 when it has none (ML.NET <c>DetectSeasonality</c>, same parameters and defaults).
/// The series is detrended (least-squares line), its periodogram is taken by FFT, and the candidate periods of
/// the strongest frequencies are checked against the autocorrelation: a period is accepted when the
/// autocorrelation at that lag (refined to the best lag within ±1) is a local maximum and exceeds
/// <c>z(randomnessThreshold)/√n</c>, the level a purely random series stays below with probability
/// <c>randomnessThreshold</c>.
/// </summary>
public static class SeasonalityDetector
{
    private const int Candidates = 5;

    /// <param name="series">The series, at least 8 finite points.</param>
    /// <param name="seasonalityWindowSize">Longest period considered; −1 for half the series.</param>
    /// <param name="randomnessThreshold">In (0, 1): how sure the autocorrelation must be not to be chance.</param>
    public static int DetectSeasonality(ReadOnlySpan<double> series, int seasonalityWindowSize = -1, double randomnessThreshold = 0.95)
    {
        var errors = new List<string>();
        if (series.Length < 8)
        {
            errors.Add($"the series has {series.Length} points, seasonality detection needs at least 8");
        }

        if (!(randomnessThreshold > 0 && randomnessThreshold < 1))
        {
            errors.Add($"randomnessThreshold must be in (0, 1), got {randomnessThreshold}");
        }

        if (seasonalityWindowSize != -1 && seasonalityWindowSize < 2)
        {
            errors.Add($"seasonalityWindowSize must be -1 or at least 2, got {seasonalityWindowSize}");
        }

        DetectorOptionsException.ThrowIfAny(errors);
        int n = series.Length;
        var detrended = Detrend(series);
        int maxPeriod = seasonalityWindowSize == -1 ? n / 2 : Math.Min(seasonalityWindowSize, n / 2);
        var acf = Autocorrelation(detrended, maxPeriod + 1);
        double level = Normal.InvCDF(0, 1, randomnessThreshold) / Math.Sqrt(n);

        var spectrum = detrended.Select(v => new Complex(v, 0)).ToArray();
        Fourier.Forward(spectrum, FourierOptions.Matlab);
        var frequencies = Enumerable.Range(1, (n / 2) - 1)
            .Where(k => n / (double)k <= maxPeriod + 0.5 && n / (double)k >= 2)
            .OrderByDescending(k => spectrum[k].Magnitude)
            .Take(Candidates);
        foreach (int k in frequencies)
        {
            int guess = (int)Math.Round(n / (double)k);
            int best = -1;
            double bestAcf = double.NegativeInfinity;
            for (int lag = Math.Max(2, guess - 1); lag <= Math.Min(maxPeriod, guess + 1); lag++)
            {
                if (acf[lag] > bestAcf)
                {
                    bestAcf = acf[lag];
                    best = lag;
                }
            }

            if (best > 0 && bestAcf > level && IsLocalMaximum(acf, best))
            {
                return best;
            }
        }

        return -1;
    }

    private static bool IsLocalMaximum(double[] acf, int lag) =>
        acf[lag] >= acf[lag - 1] && (lag + 1 >= acf.Length || acf[lag] >= acf[lag + 1]);

    private static double[] Detrend(ReadOnlySpan<double> series)
    {
        int n = series.Length;
        double meanX = (n - 1) / 2.0;
        double meanY = 0;
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(series[i]))
            {
                throw new DetectorOptionsException([$"point {i} is {series[i]}, expected a finite number"]);
            }

            meanY += series[i];
        }

        meanY /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++)
        {
            sxy += (i - meanX) * (series[i] - meanY);
            sxx += (i - meanX) * (i - meanX);
        }

        double slope = sxy / sxx;
        var result = new double[n];
        for (int i = 0; i < n; i++)
        {
            result[i] = series[i] - meanY - (slope * (i - meanX));
        }

        return result;
    }

    private static double[] Autocorrelation(double[] x, int lags)
    {
        int n = x.Length;
        double variance = x.Sum(v => v * v);
        var acf = new double[Math.Min(lags, n)];
        for (int lag = 0; lag < acf.Length; lag++)
        {
            double sum = 0;
            for (int i = lag; i < n; i++)
            {
                sum += x[i] * x[i - lag];
            }

            acf[lag] = variance > 0 ? sum / variance : 0;
        }

        return acf;
    }
}
