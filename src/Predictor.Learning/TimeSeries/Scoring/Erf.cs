using System.Numerics;

namespace Predictor.Learning.TimeSeries.Scoring;

/// <summary>
/// The error function as <c>1 − erfc</c> with the Chebyshev fit of erfc (one exponential, fractional error below
/// 1.2e-7), exact at 0, in a scalar and a SIMD form that give the same values, so that the kernel p-value can
/// evaluate it for a whole history per point.
/// </summary>
internal static class Erf
{
    public static double Evaluate(double x)
    {
        if (x == 0)
        {
            return 0;
        }

        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + (0.5 * z));
        double erfc = t * Math.Exp((-z * z) + Poly(t));
        return x > 0 ? 1.0 - erfc : erfc - 1.0;
    }

    /// <summary>erfc(x) for x ≥ 0 without the cancellation of <c>1 − erf</c>, so far tails keep their relative precision.</summary>
    public static double Complement(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + (0.5 * z));
        double erfc = t * Math.Exp((-z * z) + Poly(t));
        return x >= 0 ? erfc : 2 - erfc;
    }

    public static Vector<double> Evaluate(Vector<double> x)
    {
        var z = Vector.Abs(x);
        var one = Vector<double>.One;
        var t = one / (one + (z * 0.5));
        var poly = new Vector<double>(0.17087277);
        poly = (poly * t) + new Vector<double>(-0.82215223);
        poly = (poly * t) + new Vector<double>(1.48851587);
        poly = (poly * t) + new Vector<double>(-1.13520398);
        poly = (poly * t) + new Vector<double>(0.27886807);
        poly = (poly * t) + new Vector<double>(-0.18628806);
        poly = (poly * t) + new Vector<double>(0.09678418);
        poly = (poly * t) + new Vector<double>(0.37409196);
        poly = (poly * t) + new Vector<double>(1.00002368);
        poly = (poly * t) + new Vector<double>(-1.26551223);
        var erf = one - (t * Vector.Exp(poly - (z * z)));
        erf = Vector.ConditionalSelect(Vector.LessThan(x, Vector<double>.Zero), -erf, erf);
        return Vector.ConditionalSelect(Vector.Equals(x, Vector<double>.Zero), Vector<double>.Zero, erf);
    }

    private static double Poly(double t) =>
        -1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806
        + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
}
