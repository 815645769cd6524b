namespace Predictor.Learning.TimeSeries.Scoring;

/// <summary>
/// The error function, fast enough to evaluate once per history point on every new point: a Maclaurin series
/// below 0.5 (exact at 0, odd, error below 1e-10) and above it the Chebyshev fit of erfc with one exponential
/// (fractional error below 1.2e-7).
/// </summary>
internal static class Erf
{
    private const double TwoOverSqrtPi = 1.1283791670955126;

    public static double Evaluate(double x)
    {
        double z = Math.Abs(x);
        if (z < 0.5)
        {
            double x2 = x * x;
            double series = 1 - (x2 * ((1.0 / 3) - (x2 * ((1.0 / 10) - (x2 * ((1.0 / 42) - (x2 * ((1.0 / 216) - (x2 * ((1.0 / 1320) - (x2 * ((1.0 / 9360) - (x2 / 75600)))))))))))));
            return TwoOverSqrtPi * x * series;
        }

        double t = 1.0 / (1.0 + (0.5 * z));
        double poly = -1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806
            + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        double erfc = t * Math.Exp((-z * z) + poly);
        return x >= 0 ? 1.0 - erfc : erfc - 1.0;
    }
}
