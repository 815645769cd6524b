namespace Predictor.Learning.Calibration;

/// <summary>
/// Platt scaling as ML.NET's PlattCalibrator: <c>p = 1 / (1 + exp(Slope·s + Offset))</c>, fitted by
/// Newton's method with backtracking on Platt's smoothed targets (Lin, Lin and Weng 2007).
/// </summary>
internal sealed record PlattCalibrator(double Slope, double Offset) : ICalibrator
{
    public string Kind => "platt";

    public double Probability(double rawScore)
    {
        var z = (Slope * rawScore) + Offset;
        return z >= 0 ? Math.Exp(-z) / (1 + Math.Exp(-z)) : 1 / (1 + Math.Exp(z));
    }

    public static PlattCalibrator Fit(ReadOnlySpan<double> scores, ReadOnlySpan<float> labels)
    {
        double prior1 = 0, prior0 = 0;
        foreach (var y in labels)
        {
            if (y > 0.5f)
            {
                prior1++;
            }
            else
            {
                prior0++;
            }
        }

        var hiTarget = (prior1 + 1) / (prior1 + 2);
        var loTarget = 1 / (prior0 + 2);
        var n = scores.Length;
        var t = new double[n];
        for (var i = 0; i < n; i++)
        {
            t[i] = labels[i] > 0.5f ? hiTarget : loTarget;
        }

        double a = 0, b = Math.Log((prior0 + 1) / (prior1 + 1));
        var f = Objective(scores, t, a, b);
        const double Sigma = 1e-12;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double h11 = Sigma, h22 = Sigma, h21 = 0, g1 = 0, g2 = 0;
            for (var i = 0; i < n; i++)
            {
                var fApB = (scores[i] * a) + b;
                double p, q;
                if (fApB >= 0)
                {
                    p = Math.Exp(-fApB) / (1 + Math.Exp(-fApB));
                    q = 1 / (1 + Math.Exp(-fApB));
                }
                else
                {
                    p = 1 / (1 + Math.Exp(fApB));
                    q = Math.Exp(fApB) / (1 + Math.Exp(fApB));
                }

                var d2 = p * q;
                h11 += scores[i] * scores[i] * d2;
                h22 += d2;
                h21 += scores[i] * d2;
                var d1 = t[i] - p;
                g1 += scores[i] * d1;
                g2 += d1;
            }

            if (Math.Abs(g1) < 1e-9 && Math.Abs(g2) < 1e-9)
            {
                break;
            }

            var det = (h11 * h22) - (h21 * h21);
            var dA = -((h22 * g1) - (h21 * g2)) / det;
            var dB = -((-h21 * g1) + (h11 * g2)) / det;
            var gd = (g1 * dA) + (g2 * dB);
            var step = 1.0;
            while (step >= 1e-10)
            {
                var newA = a + (step * dA);
                var newB = b + (step * dB);
                var newF = Objective(scores, t, newA, newB);
                if (newF < f + (1e-4 * step * gd))
                {
                    a = newA;
                    b = newB;
                    f = newF;
                    break;
                }

                step /= 2;
            }

            if (step < 1e-10)
            {
                break;
            }
        }

        return new PlattCalibrator(a, b);
    }

    private static double Objective(ReadOnlySpan<double> scores, double[] t, double a, double b)
    {
        double f = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var fApB = (scores[i] * a) + b;
            f += fApB >= 0 ? (t[i] * fApB) + Math.Log(1 + Math.Exp(-fApB)) : ((t[i] - 1) * fApB) + Math.Log(1 + Math.Exp(fApB));
        }

        return f;
    }
}
