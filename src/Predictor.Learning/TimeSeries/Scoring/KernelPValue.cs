namespace Predictor.Learning.TimeSeries.Scoring;

/// <summary>
/// P-values of raw scores against a sliding history by Gaussian kernel density estimation, as ML.NET's
/// sequential anomaly detectors compute them: with history <c>h₁…hₙ</c> the p-value of <c>x</c> is
/// <c>½ − Σ erf((x − hᵢ)/b) / (2n)</c> (the smoothed fraction of history above <c>x</c>), with bandwidth
/// <c>b = √2 · √(Σᵢ&lt;ⱼ (hᵢ − hⱼ)²) / n</c> (<c>√2</c> when <c>n = 1</c>, never below 1e-6) kept up to date in O(n)
/// per point. An empty history gives 0.5. Scores are stored as <see cref="float"/> like ML.NET's buffer.
/// </summary>
internal sealed class KernelPValue
{
    private const int RecomputeEvery = 64;
    private readonly float[] _ring;
    private int _start;
    private int _count;
    private double _sumSquaredDist;
    private long _appends;

    public KernelPValue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new float[capacity];
    }

    public int Count => _count;

    public int Capacity => _ring.Length;

    public bool IsFull => _count == _ring.Length;

    /// <summary>The running Σᵢ&lt;ⱼ (hᵢ − hⱼ)² the bandwidth is computed from.</summary>
    public double SumSquaredDistances => _sumSquaredDist;

    /// <summary>The i-th stored score, oldest first.</summary>
    public float this[int index] => _ring[(_start + index) % _ring.Length];

    /// <summary>Returns the p-value of <paramref name="rawScore"/> against the history, then appends it.</summary>
    public double Next(float rawScore)
    {
        int n = _count;
        double pValue = 0.5;
        if (n > 0)
        {
            double bandwidth = Math.Sqrt(2) * (n == 1 ? 1 : Math.Sqrt(Math.Max(_sumSquaredDist, 0)) / n);
            bandwidth = Math.Max(bandwidth, 1e-6);
            double inverse = 1.0 / bandwidth;
            double erfSum = 0;
            double added = 0;
            int capacity = _ring.Length;
            for (int i = 0, idx = _start; i < n; i++)
            {
                double diff = rawScore - (double)_ring[idx];
                erfSum += Erf.Evaluate(diff * inverse);
                added += diff * diff;
                if (++idx == capacity)
                {
                    idx = 0;
                }
            }

            _sumSquaredDist += added;
            pValue = 0.5 - (erfSum / (2.0 * n));
            if (IsFull)
            {
                double oldest = _ring[_start];
                double removed = 0;
                for (int i = 1, idx = _start + 1; i < n; i++, idx++)
                {
                    if (idx == capacity)
                    {
                        idx = 0;
                    }

                    double diff = oldest - _ring[idx];
                    removed += diff * diff;
                }

                double last = oldest - rawScore;
                _sumSquaredDist -= removed + (last * last);
            }
        }

        Append(rawScore);
        return pValue;
    }

    private void Append(float rawScore)
    {
        if (_count < _ring.Length)
        {
            _ring[(_start + _count) % _ring.Length] = rawScore;
            _count++;
        }
        else
        {
            _ring[_start] = rawScore;
            _start = (_start + 1) % _ring.Length;
        }

        // The running sum drifts by rounding over millions of updates; an exact recomputation every
        // RecomputeEvery·capacity points costs O(capacity) per point amortised over capacity·64 points.
        if (++_appends % (RecomputeEvery * (long)_ring.Length) == 0)
        {
            _sumSquaredDist = ExactSumSquaredDistances();
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
