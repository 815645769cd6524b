namespace Predictor.Learning.TimeSeries.Scoring;

/// <summary>
/// The error function with one exponential per call (Chebyshev fit of erfc, fractional error below 1.2e-7),
/// fast enough to evaluate once per history point on every new point.
/// </summary>
internal static class Erf
{
    public static double Evaluate(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + (0.5 * z));
        double poly = -1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806
            + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        double erfc = t * Math.Exp((-z * z) + poly);
        return x >= 0 ? 1.0 - erfc : erfc - 1.0;
    }
}
