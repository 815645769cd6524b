namespace Predictor.Learning.TimeSeries.SpectralResidual;

/// <summary>
/// Boundaries of the whole-series spectral residual: the margin is <c>unit · f(sensitivity)</c>, where f is
/// ML.NET's factor curve: f(50) = 1, f(x) = f(x+1)·(1.25 + 0.001(49 − x)) below 50,
/// f(x) = f(x−1) / (1.15 + 0.001(x − 51)) from 51 to 90 and f(x) = f(x−1) / (1.65 + 0.01(x − 91)) from 91 to 100
/// (so f(0) ≈ 184331.6 and f(100) ≈ 9.767e-6), interpolated linearly between integer sensitivities.
/// </summary>
internal static class SrCnnMargin
{
    private static readonly double[] Factors = BuildFactors();

    public static double Factor(double sensitivity)
    {
        int lower = (int)Math.Floor(sensitivity);
        if (lower >= 100)
        {
            return Factors[100];
        }

        double fraction = sensitivity - lower;
        return Factors[lower] + ((Factors[lower + 1] - Factors[lower]) * fraction);
    }

    public static double Margin(double unit, double sensitivity) => unit * Factor(sensitivity);

    /// <summary>
    /// For an anomaly, the sensitivity (÷100) at which its distance from the expected value first exceeds the
    /// margin, interpolated between integer sensitivities; 0 for normal points.
    /// </summary>
    public static double AnomalyScore(double value, double expected, double unit, bool isAnomaly)
    {
        if (!isAnomaly)
        {
            return 0;
        }

        double distance = Math.Abs(expected - value);
        // margins[i] is the margin at sensitivity 100 − i, increasing with i.
        int lo = 0;
        int hi = 100;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (Margin(unit, 100 - mid) < distance)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        double at = Margin(unit, 100 - lo);
        double score;
        if (Math.Abs(at - distance) < 1e-8 || lo == 0)
        {
            score = lo;
        }
        else
        {
            double below = Margin(unit, 100 - (lo - 1));
            score = lo - 1 + ((distance - below) / (at - below));
        }

        return score / 100.0;
    }

    /// <summary>Boundary units from the running median (the trend) of the series, at least 1.</summary>
    public static double[] BoundaryUnits(double[] data, bool[] isAnomaly)
    {
        int n = data.Length;
        int window = Math.Min(n / 3, 512);
        var trend = RunningMedian(data, window);
        double trendFraction = 0.5;
        double sum = 0;
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            if (!isAnomaly[i])
            {
                sum += Math.Abs(trend[i]);
                count++;
            }
        }

        double averagePart = 0;
        if (count > 0)
        {
            averagePart = sum / count * (1 - trendFraction);
        }
        else
        {
            trendFraction = 1.0;
        }

        var units = new double[n];
        for (int i = 0; i < n; i++)
        {
            units[i] = Math.Max(1, averagePart + (Math.Abs(trend[i]) * trendFraction));
        }

        return units;
    }

    /// <summary>Median of the centred window of half-width window/2, truncated at both ends.</summary>
    internal static double[] RunningMedian(double[] data, int window)
    {
        int n = data.Length;
        int half = window / 2;
        if (n < (2 * half) + 1)
        {
            return (double[])data.Clone();
        }

        var result = new double[n];
        var buffer = new double[(2 * half) + 1];
        for (int i = 0; i < n; i++)
        {
            int lo = Math.Max(0, i - half);
            int hi = Math.Min(n - 1, i + half);
            int len = hi - lo + 1;
            data.AsSpan(lo, len).CopyTo(buffer);
            var span = buffer.AsSpan(0, len);
            span.Sort();
            result[i] = len % 2 == 1 ? span[len / 2] : (span[(len / 2) - 1] + span[len / 2]) / 2;
        }

        return result;
    }

    private static double[] BuildFactors()
    {
        var f = new double[101];
        f[50] = 1;
        for (int x = 49; x >= 0; x--)
        {
            f[x] = f[x + 1] * (1.25 + (0.001 * (49 - x)));
        }

        for (int x = 51; x <= 100; x++)
        {
            double step = x <= 90 ? 1.15 + (0.001 * (x - 51)) : 1.65 + (0.01 * (x - 91));
            f[x] = f[x - 1] / step;
        }

        return f;
    }
}
