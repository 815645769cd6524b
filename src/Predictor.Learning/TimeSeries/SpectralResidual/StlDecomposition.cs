namespace Predictor.Learning.TimeSeries.SpectralResidual;

/// <summary>
/// Seasonal-trend decomposition by loess (Cleveland et al., 1990) as ML.NET runs it for its STL deseasonality: two inner
/// passes and no robustness passes of the outer loop. Each pass smooths every cycle-subseries (the values at one phase of
/// the period, one per cycle) with a 9-neighbour loess, extended by one estimate before and one after; the extended cycle
/// series (n + 2·period points) is low-passed (moving averages over period, period and 3 points, then a loess over the
/// least odd span ≥ period), and the seasonal component at point i is the extended cycle series minus the low-pass at index
/// i — as in ML.NET, which reads the extended series from its start, so each point takes the smoothed value of the same
/// phase one cycle earlier. The trend is a loess of the series minus its seasonal component, over the least odd span above
/// 1.5·period / (1 − 1.5/9). See <see cref="Loess"/> for the smoother.
/// </summary>
internal static class StlDecomposition
{
    private const int SeasonalSpan = 9;
    private const int InnerPasses = 2;

    /// <summary>
    /// The series minus its seasonal and trend components; null when a cycle-subseries has fewer than
    /// <see cref="Loess.MinimumPoints"/> points (the series is shorter than three periods) or the decomposition is not finite.
    /// </summary>
    public static double[]? Residual(double[] values, int period)
    {
        int n = values.Length;
        if (n < Loess.MinimumPoints * period)
        {
            return null;
        }

        var trend = new double[n];
        var seasonal = new double[n];
        for (int pass = 0; pass < InnerPasses; pass++)
        {
            var cycle = SmoothedCycleSeries(values, trend, period);
            if (cycle is null)
            {
                return null;
            }

            var lowPass = LowPass(cycle, period);
            for (int i = 0; i < n; i++)
            {
                seasonal[i] = cycle[i] - lowPass[i];
            }

            trend = new Loess(values.Select((v, i) => v - seasonal[i]).ToArray(), TrendSpan(period)).Fitted();
        }

        var residual = values.Select((v, i) => v - seasonal[i] - trend[i]).ToArray();
        return residual.All(double.IsFinite) ? residual : null;
    }

    /// <summary>The least odd integer above 1.5·period / (1 − 1.5 / <see cref="SeasonalSpan"/>).</summary>
    internal static int TrendSpan(int period)
    {
        int span = (int)(1.5 * period / (1.0 - (1.5 / SeasonalSpan))) + 1;
        return span % 2 == 0 ? span + 1 : span;
    }

    /// <summary>
    /// Each phase's detrended values smoothed, with one estimate a cycle before the first and one a cycle after the last,
    /// laid out in time order: index k holds the estimate for time k − period.
    /// </summary>
    private static double[]? SmoothedCycleSeries(double[] values, double[] trend, int period)
    {
        int n = values.Length;
        var cycle = new double[n + (2 * period)];
        for (int phase = 0; phase < period; phase++)
        {
            var sub = new List<double>();
            for (int t = phase; t < n; t += period)
            {
                sub.Add(values[t] - trend[t]);
            }

            var loess = new Loess([.. sub], SeasonalSpan);
            var fitted = loess.Fitted();
            cycle[phase] = loess.At(-1);
            for (int k = 0; k < fitted.Length; k++)
            {
                cycle[phase + ((k + 1) * period)] = fitted[k];
            }

            cycle[phase + ((sub.Count + 1) * period)] = loess.At(sub.Count);
        }

        return cycle.Any(double.IsNaN) ? null : cycle;
    }

    private static double[] LowPass(double[] cycle, int period)
    {
        var averaged = MovingAverage(MovingAverage(MovingAverage(cycle, period), period), 3);
        return new Loess(averaged, period % 2 == 0 ? period + 1 : period).Fitted();
    }

    /// <summary>The means of every <paramref name="width"/> consecutive values (length − width + 1 of them).</summary>
    private static double[] MovingAverage(double[] values, int width)
    {
        var result = new double[values.Length - width + 1];
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += values[i];
            if (i >= width)
            {
                sum -= values[i - width];
            }

            if (i >= width - 1)
            {
                result[i - width + 1] = sum / width;
            }
        }

        return result;
    }
}

/// <summary>
/// ML.NET's loess of a series at x = 0, 1, …: a series of more than 100 points is represented by 100 of them (every
/// length/100-th, truncated). Around each represented point a line is fitted to its span + 1 nearest represented points
/// (ties and ends extend to the left first), tricube-weighted by distance over the farthest one, then refitted once with
/// those weights times bisquare robustness weights (residual / 6 / median absolute residual). A value at any x comes from
/// the line of the represented point nearest to x (the lower one on a tie).
/// </summary>
internal sealed class Loess
{
    /// <summary>The fewest points a loess takes.</summary>
    public const int MinimumPoints = 3;

    private const int MaximumPoints = 100;
    private const int MinimumSpan = 4;
    private const double Tolerance = 1e-10;

    private readonly double[] _xs;
    private readonly (double Intercept, double Slope)[] _lines;
    private readonly int _length;

    public Loess(double[] ys, int span)
    {
        if (ys.Length < MinimumPoints)
        {
            throw new ArgumentException($"a loess needs at least {MinimumPoints} points, got {ys.Length}", nameof(ys));
        }

        _length = ys.Length;
        int count = Math.Min(_length, MaximumPoints);
        double step = _length * 1.0 / count;
        _xs = new double[count];
        var sampled = new double[count];
        for (int k = 0; k < count; k++)
        {
            int index = _length <= MaximumPoints ? k : (int)(k * step);
            _xs[k] = index;
            sampled[k] = ys[index];
        }

        int r = span >= count ? count - 1 : Math.Max(span, MinimumSpan);
        _lines = new (double, double)[count];
        for (int k = 0; k < count; k++)
        {
            _lines[k] = LocalLine(sampled, k, r);
        }
    }

    /// <summary>The loess at every x of the series.</summary>
    public double[] Fitted()
    {
        var result = new double[_length];
        for (int i = 0; i < _length; i++)
        {
            result[i] = At(i);
        }

        return result;
    }

    public double At(double x)
    {
        int upper = Array.FindIndex(_xs, v => v > x);
        int start = Math.Clamp((upper < 0 ? _xs.Length : upper) - 1, 0, _xs.Length - 2);
        int end = start + 1;
        int nearest = (_xs[end] - x) - (x - _xs[start]) > -Tolerance ? start : end;
        var (intercept, slope) = _lines[nearest];
        return intercept + (slope * x);
    }

    private (double Intercept, double Slope) LocalLine(double[] ys, int self, int r)
    {
        int count = _xs.Length;
        double centre = _xs[self];
        int start = self;
        int end = self;
        double range;
        if (r < count)
        {
            for (int left = r; left > 0; left--)
            {
                if (start == 0)
                {
                    end += left;
                    break;
                }

                if (end == count - 1)
                {
                    start -= left;
                    break;
                }

                if ((centre - _xs[start]) - (_xs[end] - centre) < Tolerance)
                {
                    start--;
                }
                else
                {
                    end++;
                }
            }

            range = Math.Max(centre - _xs[start], _xs[end] - centre);
        }
        else
        {
            start = 0;
            end = count - 1;
            range = Math.Max(centre - _xs[start], _xs[end] - centre) * r / (count - 1);
        }

        int size = end - start + 1;
        var weights = new double[size];
        for (int i = 0; i < size; i++)
        {
            weights[i] = Tricube((_xs[start + i] - centre) / range);
        }

        var line = WeightedLine(start, ys, weights);
        var residuals = new double[size];
        for (int i = 0; i < size; i++)
        {
            residuals[i] = ys[start + i] - (line.Intercept + (line.Slope * _xs[start + i]));
        }

        var sorted = residuals.Select(Math.Abs).Order().ToArray();
        double median = sorted[size / 2] == 0 ? double.Epsilon : sorted[size / 2];
        for (int i = 0; i < size; i++)
        {
            weights[i] *= Bisquare(residuals[i] / 6.0 / median);
        }

        return WeightedLine(start, ys, weights);
    }

    private (double Intercept, double Slope) WeightedLine(int start, double[] ys, double[] weights)
    {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double f0 = 0;
        double f1 = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            double x = _xs[start + i];
            double w = weights[i];
            s0 += w;
            s1 += w * x;
            s2 += w * x * x;
            f0 += w * ys[start + i];
            f1 += w * ys[start + i] * x;
        }

        double determinant = (s0 * s2) - (s1 * s1);
        return (((s2 * f0) - (s1 * f1)) / determinant, ((s0 * f1) - (s1 * f0)) / determinant);
    }

    private static double Tricube(double u)
    {
        double a = Math.Abs(u);
        if (a >= 1)
        {
            return 0;
        }

        double t = 1 - (a * a * a);
        return t * t * t;
    }

    private static double Bisquare(double u)
    {
        double a = Math.Abs(u);
        if (a >= 1)
        {
            return 0;
        }

        double t = 1 - (a * a);
        return t * t;
    }
}
