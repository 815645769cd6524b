namespace Predictor.Learning.TimeSeries.SpectralResidual;

/// <summary>
/// Boundaries of the whole-series spectral residual, as ML.NET's current <c>SrCnnEntireModeler</c> draws them: the margin
/// is <c>unit · f(sensitivity)</c> with f a piecewise curve over the integer sensitivities 0..100 — the parabola
/// <c>0.8(s − 30)² + 32</c> shifted by five (f(0) = 532) down to f(25) = 32.8, then straight lines of slope −1.25 (to f(45) = 5),
/// −0.4 (to f(55) = 1), −0.04 (to f(65) = 0.6), −0.03 (to f(75) = 0.3), −0.015 (to f(85) = 0.15), −0.011818… (to f(94)),
/// and the tail 0.012, 0.008, 0.006075, 0.00415, 0.002225, 0.0003, 0 — interpolated linearly between integers.
/// </summary>
internal static class SrCnnMargin
{
    /// <summary>The sensitivity whose margin keeps a normal point's expected value close to the point.</summary>
    public const double BoundSensitivity = 93.0;

    private static readonly double[] Factors = BuildFactors();

    public static double Factor(double sensitivity)
    {
        int lower = (int)Math.Floor(sensitivity);
        if (lower == sensitivity)
        {
            return Factors[lower];
        }

        return Factors[lower + 1] + ((Factors[lower] - Factors[lower + 1]) * (1 - sensitivity + lower));
    }

    public static double Margin(double unit, double sensitivity) => unit * Factor(sensitivity);

    /// <summary>
    /// For an anomaly, the sensitivity (÷100) at which its distance from the expected value, in boundary units, first
    /// exceeds the factor curve, interpolated between integer sensitivities; 0 for normal points.
    /// </summary>
    public static double AnomalyScore(double value, double expected, double unit, bool isAnomaly)
    {
        if (!isAnomaly)
        {
            return 0;
        }

        double distance = Math.Abs(expected - value) / unit;
        int lo = 0;
        int hi = 100;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (Factors[100 - mid] < distance)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        double score;
        if (Factors[100 - lo] == distance || lo == 0)
        {
            score = lo;
        }
        else
        {
            double below = Factors[101 - lo];
            double above = Factors[100 - lo];
            score = lo - 1 + ((distance - below) / (above - below));
        }

        return score / 100.0;
    }

    /// <summary>
    /// Boundary units: half the absolute running median (window min(N/3, 512), truncated at the ends) plus half its mean
    /// over normal points; 0.3 everywhere when every normal point's trend is below 1e-8 (a series at or below zero).
    /// </summary>
    public static double[] BoundaryUnits(double[] data, bool[] isAnomaly)
    {
        const double UnitForZero = 0.3;
        int n = data.Length;
        var trend = RunningMedian(data, Math.Min(n / 3, 512));
        double trendFraction = 0.5;
        double sum = 0;
        int count = 0;
        bool closeToZero = true;
        for (int i = 0; i < n; i++)
        {
            if (!isAnomaly[i])
            {
                closeToZero &= trend[i] < 1e-8;
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
            units[i] = closeToZero ? UnitForZero : averagePart + (Math.Abs(trend[i]) * trendFraction);
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
        var f = new List<double>();
        for (int i = 0; i < 30; i++)
        {
            f.Add((0.8 * (i - 30) * (i - 30)) + 32);
        }

        for (int i = 30; i < 50; i++)
        {
            f.Add((-1.25 * i) + 67.5);
        }

        for (int i = 50; i < 60; i++)
        {
            f.Add((-0.4 * i) + 25);
        }

        for (int i = 60; i < 70; i++)
        {
            f.Add((-0.04 * i) + 3.4);
        }

        for (int i = 70; i < 80; i++)
        {
            f.Add((-0.03 * i) + 2.7);
        }

        for (int i = 80; i < 90; i++)
        {
            f.Add((-0.015 * i) + 1.4999999999999998);
        }

        for (int i = 90; i < 98; i++)
        {
            f.Add((-0.011818181818181818 * i) + 1.2136363636363636);
        }

        f.Add((-0.011818181818181818 * 99) + 1.2136363636363636);
        f.Add(0.01200000000000001);
        for (int i = 0; i < 5; i++)
        {
            f.Add((-0.001925 * i) + 0.008);
        }

        f.Add(0);
        return [.. f.Skip(5)];
    }
}
