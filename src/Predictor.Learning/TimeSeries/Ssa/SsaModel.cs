using MathNet.Numerics.LinearAlgebra;

namespace Predictor.Learning.TimeSeries.Ssa;

/// <summary>
/// Singular spectrum analysis of a series with window (embedding dimension) L: the L×K trajectory matrix
/// of the training series is decomposed through the eigendecomposition of its lag-covariance XXᵀ
/// (the left singular vectors and squared singular values), the signal rank r is chosen as the one whose
/// recurrent one-step forecast of the training series has the least error relative to the spectrum left out
/// (as ML.NET's exact rank selection does), and the linear recurrence
/// <c>αⱼ = Σᵢ&lt;r πᵢ·Uᵢ[j] / (1 − ν²)</c> (πᵢ the last coordinate of Uᵢ, ν² = Σ πᵢ²) forecasts the next value
/// from a state vector that is the diagonal average of the newest lag vectors projected on the signal subspace.
/// Consuming a point costs O(L·r) and allocates nothing.
/// </summary>
internal sealed class SsaModel
{
    private readonly int _window;
    private readonly int _rank;
    private readonly double[] _basis;     // r × L, row-major: the leading left singular vectors
    private readonly double[] _alpha;     // L − 1 recurrence coefficients
    private readonly double[] _state;     // L − 1 smoothed newest values
    private readonly double[] _lags;      // ring of the newest L − 1 observations
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly double[] _smooth;
    private int _lagStart;
    private int _lagCount;

    private SsaModel(int window, int rank, double[] basis, double[] alpha, double[] singularValues)
    {
        _window = window;
        _rank = rank;
        _basis = basis;
        _alpha = alpha;
        SingularValues = singularValues;
        _state = new double[window - 1];
        _lags = new double[window - 1];
        _x = new double[window];
        _y = new double[rank];
        _smooth = new double[window];
    }

    public int Window => _window;

    public int Rank => _rank;

    /// <summary>Singular values of the training trajectory matrix, largest first.</summary>
    public IReadOnlyList<double> SingularValues { get; }

    public ReadOnlySpan<double> RecurrenceCoefficients => _alpha;

    /// <summary>The forecast of the next, not yet consumed, value.</summary>
    public double NextPrediction { get; private set; }

    /// <summary>Variance of the one-step errors over the training series (after the first L points).</summary>
    public double ResidualVariance { get; private set; }

    /// <summary>One-step forecasts of the training points made while training (NaN for the first L points).</summary>
    public IReadOnlyList<double> TrainingPredictions { get; private set; } = [];

    /// <summary>Trains on <paramref name="series"/> (needs more than 2·L points); the state ends at the series' end.</summary>
    /// <param name="series">The training series.</param>
    /// <param name="window">The SSA window L.</param>
    /// <param name="rank">Fixed rank, or null to select it.</param>
    /// <param name="maxRank">Upper bound of the selected rank.</param>
    public static SsaModel Train(ReadOnlySpan<double> series, int window, int? rank, int maxRank)
    {
        int n = series.Length;
        if (window < 2 || n <= 2 * window)
        {
            throw new ArgumentException($"SSA needs a window of at least 2 and more than 2·window = {2 * window} training points, got window {window} and {n} points.", nameof(series));
        }

        int k = n - window + 1;
        var lagCovariance = Matrix<double>.Build.Dense(window, window);
        for (int i = 0; i < window; i++)
        {
            for (int j = i; j < window; j++)
            {
                double sum = 0;
                for (int c = 0; c < k; c++)
                {
                    sum += series[i + c] * series[j + c];
                }

                lagCovariance[i, j] = sum;
                lagCovariance[j, i] = sum;
            }
        }

        var evd = lagCovariance.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, window).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
        var vectors = new double[window * window];
        var singular = new double[window];
        for (int r = 0; r < window; r++)
        {
            int col = order[r];
            singular[r] = Math.Sqrt(Math.Max(evd.EigenValues[col].Real, 0));
            for (int j = 0; j < window; j++)
            {
                vectors[(r * window) + j] = evd.EigenVectors[j, col];
            }
        }

        int chosen = rank ?? SelectRank(series, window, vectors, singular, maxRank);
        chosen = Math.Clamp(chosen, 1, window - 1);
        var basis = vectors.AsSpan(0, chosen * window).ToArray();
        var alpha = new double[window - 1];
        double nu = 0;
        for (int r = 0; r < chosen; r++)
        {
            double pi = basis[(r * window) + window - 1];
            nu += pi * pi;
            for (int j = 0; j < window - 1; j++)
            {
                alpha[j] += pi * basis[(r * window) + j];
            }
        }

        double scale = 1 - nu;
        if (scale < 1e-9)
        {
            throw new ArgumentException("The SSA signal subspace contains the last lag axis (verticality 1), so no recurrence forecast exists; use a different window or rank.", nameof(series));
        }

        for (int j = 0; j < alpha.Length; j++)
        {
            alpha[j] /= scale;
        }

        var model = new SsaModel(window, chosen, basis, alpha, singular);
        double sumSq = 0;
        int errors = 0;
        var predictions = new double[n];
        for (int i = 0; i < n; i++)
        {
            predictions[i] = i >= window ? model.NextPrediction : double.NaN;
            if (i >= window)
            {
                double e = series[i] - model.NextPrediction;
                sumSq += e * e;
                errors++;
            }

            model.Consume(series[i]);
        }

        model.ResidualVariance = errors > 0 ? sumSq / errors : 0;
        model.TrainingPredictions = predictions;
        return model;
    }

    /// <summary>Feeds the next observation and updates <see cref="NextPrediction"/>; NaN is ignored.</summary>
    public void Consume(double input)
    {
        if (double.IsNaN(input))
        {
            return;
        }

        int w = _window;
        int missing = w - 1 - _lagCount;
        for (int i = 0; i < missing; i++)
        {
            _x[i] = 0;
        }

        for (int i = 0, idx = _lagStart; i < _lagCount; i++)
        {
            _x[missing + i] = _lags[idx];
            if (++idx == _lags.Length)
            {
                idx = 0;
            }
        }

        _x[w - 1] = input;

        for (int r = 0; r < _rank; r++)
        {
            double dot = 0;
            int row = r * w;
            for (int j = 0; j < w; j++)
            {
                dot += _basis[row + j] * _x[j];
            }

            _y[r] = dot;
        }

        for (int j = 0; j < w; j++)
        {
            double sum = 0;
            for (int r = 0; r < _rank; r++)
            {
                sum += _basis[(r * w) + j] * _y[r];
            }

            _smooth[j] = sum;
        }

        // Diagonal averaging: state[i] holds the mean of the projections of value t−(L−2−i) seen so far.
        double prediction = 0;
        for (int i = 0; i < w - 2; i++)
        {
            _state[i] = (((w - 2 - i) * _state[i + 1]) + _smooth[i + 1]) / (w - 1 - i);
            prediction += _state[i] * _alpha[i];
        }

        _state[w - 2] = _smooth[w - 1];
        prediction += _state[w - 2] * _alpha[w - 2];
        NextPrediction = prediction;

        if (_lagCount < _lags.Length)
        {
            _lags[(_lagStart + _lagCount) % _lags.Length] = input;
            _lagCount++;
        }
        else
        {
            _lags[_lagStart] = input;
            _lagStart = (_lagStart + 1) % _lags.Length;
        }
    }

    /// <summary>Point forecasts for the next <c>result.Length</c> values by running the recurrence on the state.</summary>
    public void Forecast(Span<double> result)
    {
        int w = _window;
        for (int h = 0; h < result.Length; h++)
        {
            double value = 0;
            int a = 0;
            for (int j = h; j < w - 1; j++, a++)
            {
                value += _state[j] * _alpha[a];
            }

            for (int j = Math.Max(0, h - w + 1); j < h; j++, a++)
            {
                value += result[j] * _alpha[a];
            }

            result[h] = value;
        }
    }

    private static int SelectRank(ReadOnlySpan<double> series, int window, double[] vectors, double[] singular, int maxRank)
    {
        int n = series.Length;
        int k = n - window + 1;
        var reconstruction = new double[n];
        var alpha = new double[window - 1];
        var v = new double[k];
        double nu = 0;
        double remaining = singular.Sum();
        double bestError = double.MaxValue;
        int best = 1;
        int limit = Math.Max(1, Math.Min(maxRank, window - 1));
        for (int r = 0; r < limit; r++)
        {
            int row = r * window;
            double pi = vectors[row + window - 1];
            nu += pi * pi;
            for (int j = 0; j < window - 1; j++)
            {
                alpha[j] += pi * vectors[row + j];
            }

            // Elementary reconstruction: v = Xᵀu, then the diagonal average of u·vᵀ added to the series.
            for (int c = 0; c < k; c++)
            {
                double dot = 0;
                for (int j = 0; j < window; j++)
                {
                    dot += vectors[row + j] * series[c + j];
                }

                v[c] = dot;
            }

            for (int t = 0; t < n; t++)
            {
                int lo = Math.Max(0, t - k + 1);
                int hi = Math.Min(window - 1, t);
                double sum = 0;
                for (int j = lo; j <= hi; j++)
                {
                    sum += vectors[row + j] * v[t - j];
                }

                reconstruction[t] += sum / (hi - lo + 1);
            }

            remaining -= singular[r];
            if (nu >= 1 - 1e-9 || remaining <= 0)
            {
                continue;
            }

            double error = 0;
            for (int c = 0; c < k; c++)
            {
                double predicted = 0;
                for (int j = 0; j < window - 1; j++)
                {
                    predicted += alpha[j] * reconstruction[c + j];
                }

                double diff = (predicted / (1 - nu)) - series[c + window - 1];
                error += diff * diff;
            }

            error /= remaining;
            if (error < bestError)
            {
                bestError = error;
                best = r + 1;
            }
        }

        return best;
    }
}
