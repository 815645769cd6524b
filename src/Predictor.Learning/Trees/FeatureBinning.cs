using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Predictor.Learning.Trees;

/// <summary>
/// Quantile bins of one feature. Bin 0 holds missing values (NaN); value bin <c>k</c> (1-based) holds
/// values <c>v</c> with <c>UpperBounds[k-2] &lt; v &lt;= UpperBounds[k-1]</c>; the last value bin is unbounded
/// above. A feature therefore has <c>UpperBounds.Length + 2</c> bins in all, at most the configured maximum.
/// </summary>
internal sealed class FeatureBinning
{
    /// <summary>Values sampled per feature to place the bounds (every k-th row, so it is deterministic).</summary>
    public const int SampleSize = 200_000;

    private readonly float[] _search;

    public FeatureBinning(float[] upperBounds)
    {
        UpperBounds = upperBounds;
        // The bounds padded with +inf to 2^k - 1 entries, so BinOf runs a fixed number of steps without a branch.
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)upperBounds.Length + 1);
        _search = new float[size];
        upperBounds.CopyTo(_search, 0);
        _search.AsSpan(upperBounds.Length).Fill(float.PositiveInfinity);
    }

    public float[] UpperBounds { get; }

    /// <summary>Bins in all, the missing bin included.</summary>
    public int BinCount => UpperBounds.Length + 2;

    public byte BinOf(float value)
    {
        if (float.IsNaN(value))
        {
            return 0;
        }

        // The number of bounds below the value: value bin k holds UpperBounds[k-2] < v <= UpperBounds[k-1].
        ref var bounds = ref MemoryMarshal.GetArrayDataReference(_search);
        var below = 0;
        for (var step = _search.Length >> 1; step > 0; step >>= 1)
        {
            // Arithmetic, not a conditional: the JIT would branch, and a column's values mispredict half the time.
            below += step & -Unsafe.BitCast<bool, byte>(Unsafe.Add(ref bounds, below + step - 1) < value);
        }

        return (byte)(below + 1);
    }

    /// <summary>The bin of every value of <paramref name="values"/>, into <paramref name="bins"/>.</summary>
    public void BinAll(ReadOnlySpan<float> values, Span<byte> bins)
    {
        for (var i = 0; i < values.Length; i++)
        {
            bins[i] = BinOf(values[i]);
        }
    }

    /// <summary>
    /// The raw threshold equivalent to "bin &lt;= <paramref name="bin"/>" for a value bin; for the last value
    /// bin (every value left, only missing values right) it is <see cref="float.MaxValue"/>.
    /// </summary>
    public float ThresholdOf(int bin) => bin <= UpperBounds.Length ? UpperBounds[bin - 1] : float.MaxValue;

    public static FeatureBinning Fit(float[] column, int maxBins)
    {
        var maxValueBins = maxBins - 1;
        var step = Math.Max(1, column.Length / SampleSize);
        var sample = new List<float>(Math.Min(column.Length, SampleSize + 1));
        for (var i = 0; i < column.Length; i += step)
        {
            if (!float.IsNaN(column[i]))
            {
                sample.Add(column[i]);
            }
        }

        if (sample.Count == 0)
        {
            return new FeatureBinning([]);
        }

        sample.Sort();
        var distinct = new List<float>();
        var counts = new List<int>();
        foreach (var v in sample)
        {
            if (distinct.Count > 0 && distinct[^1] == v)
            {
                counts[^1]++;
            }
            else
            {
                distinct.Add(v);
                counts.Add(1);
            }
        }

        var bounds = new List<float>();
        if (distinct.Count <= maxValueBins)
        {
            for (var i = 0; i + 1 < distinct.Count; i++)
            {
                bounds.Add(Midpoint(distinct[i], distinct[i + 1]));
            }
        }
        else
        {
            // Walk the distinct values and close a bin when it holds its share of the remaining sample.
            var remaining = sample.Count;
            var binsLeft = maxValueBins;
            var inBin = 0;
            for (var i = 0; i + 1 < distinct.Count && binsLeft > 1; i++)
            {
                inBin += counts[i];
                remaining -= counts[i];
                var target = (double)(inBin + remaining) / binsLeft;
                if (inBin >= target || distinct.Count - i - 1 < binsLeft)
                {
                    bounds.Add(Midpoint(distinct[i], distinct[i + 1]));
                    binsLeft--;
                    inBin = 0;
                }
            }
        }

        return new FeatureBinning([.. bounds]);
    }

    private static float Midpoint(float a, float b)
    {
        var mid = (float)((a + (double)b) / 2);
        return mid < b ? mid : a;
    }
}
