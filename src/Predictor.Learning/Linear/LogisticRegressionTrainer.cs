using Predictor.Learning.Data;

namespace Predictor.Learning.Linear;

/// <summary>Options of <see cref="LogisticRegressionTrainer"/>.</summary>
internal sealed record LogisticRegressionOptions
{
    /// <summary>L1 penalty on the standardized weights (not the bias). <value>The default value is 0.</value></summary>
    public double L1 { get; init; }

    /// <summary>L2 penalty (½·L2·‖w‖²) on the standardized weights. <value>The default value is 0.0001.</value></summary>
    public double L2 { get; init; } = 1e-4;

    /// <summary>Iterations at most. <value>The default value is 200.</value></summary>
    public int MaxIterations { get; init; } = 200;

    /// <summary>Stop when the objective improves by less than this, relatively. <value>The default value is 1e-7 (ML.NET OptimizationTolerance).</value></summary>
    public double Tolerance { get; init; } = 1e-7;

    /// <summary>Correction pairs kept by L-BFGS. <value>The default value is 20 (ML.NET HistorySize).</value></summary>
    public int History { get; init; } = 20;

    /// <summary>Weight of positive rows. <value>The default value is 1.</value></summary>
    public double PositiveWeight { get; init; } = 1.0;
}

/// <summary>
/// Fits <see cref="LogisticModel"/> by minimizing mean weighted log loss + ½·L2·‖w‖² + L1·‖w‖₁ with
/// OWL-QN (Andrew and Gao 2007), which is L-BFGS when L1 is 0.
/// </summary>
internal sealed class LogisticRegressionTrainer(LogisticRegressionOptions options)
{
    public int Iterations { get; private set; }

    public LogisticModel Train(DataSet data)
    {
        var labels = data.RequireLabels();
        var d = data.Columns.Length;
        var means = new double[d];
        var scales = new double[d];
        for (var j = 0; j < d; j++)
        {
            double sum = 0, sq = 0;
            var n = 0;
            foreach (var v in data.Columns[j])
            {
                if (!float.IsNaN(v))
                {
                    sum += v;
                    sq += (double)v * v;
                    n++;
                }
            }

            means[j] = n == 0 ? 0 : sum / n;
            var variance = n == 0 ? 0 : (sq / n) - (means[j] * means[j]);
            scales[j] = variance > 1e-24 ? Math.Sqrt(variance) : 1;
        }

        var x = new double[data.Rows * d];
        for (var j = 0; j < d; j++)
        {
            var column = data.Columns[j];
            for (var i = 0; i < data.Rows; i++)
            {
                x[(i * d) + j] = float.IsNaN(column[i]) ? 0 : (column[i] - means[j]) / scales[j];
            }
        }

        var w = new double[data.Rows];
        double totalWeight = 0;
        for (var i = 0; i < w.Length; i++)
        {
            w[i] = labels[i] > 0.5f ? options.PositiveWeight : 1;
            totalWeight += w[i];
        }

        var theta = Minimize(new Problem(x, labels, w, totalWeight, d, options.L2), options.L1);
        return new LogisticModel(data.FeatureNames, means, scales, theta[..d], theta[d]);
    }

    private double[] Minimize(Problem problem, double l1)
    {
        var dim = problem.Dimensions + 1;
        var theta = new double[dim];
        var grad = new double[dim];
        var loss = problem.Evaluate(theta, grad);
        var f = loss + L1Norm(theta, l1, dim);
        var sHistory = new List<double[]>();
        var yHistory = new List<double[]>();
        var pg = new double[dim];
        for (Iterations = 0; Iterations < options.MaxIterations; Iterations++)
        {
            PseudoGradient(theta, grad, l1, pg);
            var direction = TwoLoop(pg, sHistory, yHistory);
            for (var j = 0; j < dim; j++)
            {
                if (direction[j] * pg[j] >= 0)
                {
                    direction[j] = 0;
                }
            }

            var next = new double[dim];
            var nextGrad = new double[dim];
            double nextF = f, step = 1;
            var accepted = false;
            for (var attempt = 0; attempt < 40; attempt++, step /= 2)
            {
                double decrease = 0;
                for (var j = 0; j < dim; j++)
                {
                    var orthant = theta[j] != 0 ? Math.Sign(theta[j]) : -Math.Sign(pg[j]);
                    var candidate = theta[j] + (step * direction[j]);
                    next[j] = l1 > 0 && j < dim - 1 && Math.Sign(candidate) != orthant ? 0 : candidate;
                    decrease += pg[j] * (next[j] - theta[j]);
                }

                nextF = problem.Evaluate(next, nextGrad) + L1Norm(next, l1, dim);
                if (nextF <= f + (1e-4 * decrease))
                {
                    accepted = true;
                    break;
                }
            }

            if (!accepted)
            {
                break;
            }

            var s = new double[dim];
            var y = new double[dim];
            double sy = 0;
            for (var j = 0; j < dim; j++)
            {
                s[j] = next[j] - theta[j];
                y[j] = nextGrad[j] - grad[j];
                sy += s[j] * y[j];
            }

            if (sy > 1e-16)
            {
                sHistory.Add(s);
                yHistory.Add(y);
                if (sHistory.Count > options.History)
                {
                    sHistory.RemoveAt(0);
                    yHistory.RemoveAt(0);
                }
            }

            var improvement = (f - nextF) / Math.Max(Math.Abs(f), 1e-12);
            theta = next;
            grad = nextGrad;
            f = nextF;
            if (improvement < options.Tolerance)
            {
                Iterations++;
                break;
            }
        }

        return theta;
    }

    private static double L1Norm(double[] theta, double l1, int dim)
    {
        double sum = 0;
        for (var j = 0; j < dim - 1; j++)
        {
            sum += Math.Abs(theta[j]);
        }

        return l1 * sum;
    }

    /// <summary>The steepest-descent direction's negative for the L1 objective; the bias is not penalized.</summary>
    private static void PseudoGradient(double[] theta, double[] grad, double l1, double[] pg)
    {
        var dim = theta.Length;
        for (var j = 0; j < dim; j++)
        {
            if (l1 == 0 || j == dim - 1)
            {
                pg[j] = grad[j];
            }
            else if (theta[j] > 0)
            {
                pg[j] = grad[j] + l1;
            }
            else if (theta[j] < 0)
            {
                pg[j] = grad[j] - l1;
            }
            else
            {
                pg[j] = grad[j] + l1 < 0 ? grad[j] + l1 : grad[j] - l1 > 0 ? grad[j] - l1 : 0;
            }
        }
    }

    private static double[] TwoLoop(double[] g, List<double[]> sHistory, List<double[]> yHistory)
    {
        var q = (double[])g.Clone();
        var alpha = new double[sHistory.Count];
        for (var k = sHistory.Count - 1; k >= 0; k--)
        {
            alpha[k] = Dot(sHistory[k], q) / Dot(yHistory[k], sHistory[k]);
            Axpy(-alpha[k], yHistory[k], q);
        }

        if (sHistory.Count > 0)
        {
            var last = sHistory.Count - 1;
            var gamma = Dot(sHistory[last], yHistory[last]) / Dot(yHistory[last], yHistory[last]);
            for (var j = 0; j < q.Length; j++)
            {
                q[j] *= gamma;
            }
        }

        for (var k = 0; k < sHistory.Count; k++)
        {
            var beta = Dot(yHistory[k], q) / Dot(yHistory[k], sHistory[k]);
            Axpy(alpha[k] - beta, sHistory[k], q);
        }

        for (var j = 0; j < q.Length; j++)
        {
            q[j] = -q[j];
        }

        return q;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (var j = 0; j < a.Length; j++)
        {
            sum += a[j] * b[j];
        }

        return sum;
    }

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (var j = 0; j < x.Length; j++)
        {
            y[j] += a * x[j];
        }
    }

    /// <summary>Mean weighted log loss + ½·L2·‖w‖² and its gradient; the bias is the last coordinate.</summary>
    private sealed class Problem(double[] x, float[] labels, double[] weights, double totalWeight, int dimensions, double l2)
    {
        public int Dimensions => dimensions;

        public double Evaluate(double[] theta, double[] gradient)
        {
            Array.Clear(gradient);
            var d = dimensions;
            double loss = 0;
            for (var i = 0; i < labels.Length; i++)
            {
                var z = theta[d];
                var row = i * d;
                for (var j = 0; j < d; j++)
                {
                    z += theta[j] * x[row + j];
                }

                var margin = labels[i] > 0.5f ? z : -z;
                loss += weights[i] * (margin > 0 ? Math.Log(1 + Math.Exp(-margin)) : -margin + Math.Log(1 + Math.Exp(margin)));
                var p = 1 / (1 + Math.Exp(-z));
                var residual = weights[i] * (p - labels[i]);
                for (var j = 0; j < d; j++)
                {
                    gradient[j] += residual * x[row + j];
                }

                gradient[d] += residual;
            }

            loss /= totalWeight;
            for (var j = 0; j <= d; j++)
            {
                gradient[j] /= totalWeight;
            }

            for (var j = 0; j < d; j++)
            {
                loss += 0.5 * l2 * theta[j] * theta[j];
                gradient[j] += l2 * theta[j];
            }

            return loss;
        }
    }
}
