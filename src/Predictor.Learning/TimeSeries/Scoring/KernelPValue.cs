using System.Numerics;
using System.Runtime.InteropServices;

namespace Predictor.Learning.TimeSeries.Scoring;

/// <summary>
/// P-values of raw scores against a sliding history by Gaussian kernel density estimation, as ML.NET's
/// sequential anomaly detectors compute them: with history <c>h₁…hₙ</c> the p-value of <c>x</c> is
/// <c>½ − Σ erf((x − hᵢ)/b) / (2n)</c> (the smoothed fraction of history above <c>x</c>), with bandwidth
/// <c>b = √2 · √(Σᵢ&lt;ⱼ (hᵢ − hⱼ)²) / n</c> (<c>√2</c> when <c>n = 1</c>, never below 1e-6). An empty history gives 0.5.
/// Scores are stored as <see cref="float"/> like ML.NET's buffer. The pairwise sum is kept in O(1) per point as
/// <c>n·Σ(h−c)² − (Σ(h−c))²</c> around a centre c refreshed with an exact recomputation every 64 windows; the
/// history is a mirrored ring (each value stored twice) so the window is contiguous and the erf sum runs in SIMD.
/// </summary>
internal sealed class KernelPValue
{
    private const int RecomputeEvery = 64;
    private readonly float[] _mirror;
    private readonly int _capacity;
    private int _start;
    private int _count;
    private double _centre;
    private double _sum;
    private double _sumSquares;
    private long _appends;

    public KernelPValue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _mirror = new float[2 * capacity];
    }

    public int Count => _count;

    public int Capacity => _capacity;

    public bool IsFull => _count == _capacity;

    /// <summary>Σᵢ&lt;ⱼ (hᵢ − hⱼ)², the quantity the bandwidth is computed from.</summary>
    public double SumSquaredDistances => Math.Max((_count * _sumSquares) - (_sum * _sum), 0);

    /// <summary>The i-th stored score, oldest first.</summary>
    public float this[int index] => _mirror[_start + index];

    /// <summary>Returns the p-value of <paramref name="rawScore"/> against the history, then appends it.</summary>
    public double Next(float rawScore)
    {
        int n = _count;
        double pValue = 0.5;
        if (n > 0)
        {
            double bandwidth = Math.Sqrt(2) * (n == 1 ? 1 : Math.Sqrt(SumSquaredDistances) / n);
            bandwidth = Math.Max(bandwidth, 1e-6);
            pValue = 0.5 - (ErfSum(_mirror.AsSpan(_start, n), rawScore, 1.0 / bandwidth) / (2.0 * n));
        }

        Append(rawScore);
        return pValue;
    }

    private static double ErfSum(ReadOnlySpan<float> history, double x, double inverseBandwidth)
    {
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && history.Length >= Vector<float>.Count)
        {
            var vx = new Vector<double>(x);
            var scale = new Vector<double>(inverseBandwidth);
            var acc = Vector<double>.Zero;
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(history);
            foreach (var v in vectors)
            {
                Vector.Widen(v, out var low, out var high);
                acc += Erf.Evaluate((vx - low) * scale);
                acc += Erf.Evaluate((vx - high) * scale);
            }

            sum = Vector.Sum(acc);
            i = vectors.Length * Vector<float>.Count;
        }

        for (; i < history.Length; i++)
        {
            sum += Erf.Evaluate((x - history[i]) * inverseBandwidth);
        }

        return sum;
    }

    private void Append(float rawScore)
    {
        if (_count == 0)
        {
            _centre = rawScore;
        }

        if (_count < _capacity)
        {
            Store((_start + _count) % _capacity, rawScore);
            _count++;
        }
        else
        {
            double old = _mirror[_start] - _centre;
            _sum -= old;
            _sumSquares -= old * old;
            Store(_start, rawScore);
            _start = (_start + 1) % _capacity;
        }

        double d = rawScore - _centre;
        _sum += d;
        _sumSquares += d * d;

        if (++_appends % (RecomputeEvery * (long)_capacity) == 0)
        {
            Recentre();
        }
    }

    private void Store(int slot, float value)
    {
        _mirror[slot] = value;
        _mirror[slot + _capacity] = value;
    }

    /// <summary>Recomputes the sums exactly around the current mean, so rounding cannot accumulate.</summary>
    private void Recentre()
    {
        double mean = 0;
        for (int i = 0; i < _count; i++)
        {
            mean += this[i];
        }

        _centre = mean / _count;
        _sum = 0;
        _sumSquares = 0;
        for (int i = 0; i < _count; i++)
        {
            double d = this[i] - _centre;
            _sum += d;
            _sumSquares += d * d;
        }
    }

    internal double ExactSumSquaredDistances()
    {
        double sum = 0;
        for (int i = 0; i < _count; i++)
        {
            double a = this[i];
            for (int j = i + 1; j < _count; j++)
            {
                double d = a - this[j];
                sum += d * d;
            }
        }

        return sum;
    }
}
