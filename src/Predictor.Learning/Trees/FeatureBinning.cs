using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

    /// <summary>
    /// The bin of every value of <paramref name="values"/>, into <paramref name="bins"/>: eight searches at a time in
    /// the lanes of one vector (a gather per step), so they overlap instead of waiting on each other's loads.
    /// </summary>
    public unsafe void BinAll(ReadOnlySpan<float> values, Span<byte> bins)
    {
        var i = 0;
        if (Avx2.IsSupported)
        {
            fixed (float* search = _search)
            {
                var one = Vector256<int>.One;
                for (; i + 8 <= values.Length; i += 8)
                {
                    var v = Vector256.Create(values.Slice(i, 8));
                    var below = Vector256<int>.Zero;
                    for (var step = _search.Length >> 1; step > 0; step >>= 1)
                    {
                        var probe = Avx2.GatherVector256(search, below + Vector256.Create(step - 1), 4);
                        below += Vector256.Create(step) & Vector256.LessThan(probe, v).AsInt32();
                    }

                    // NaN compares false everywhere (bin 1 so far); the missing bin is 0.
                    var result = (below + one) & Vector256.Equals(v, v).AsInt32();
                    var shorts = Vector256.Narrow(result, result).AsUInt16();
                    Unsafe.WriteUnaligned(ref bins[i], Vector256.Narrow(shorts, shorts).AsUInt64().GetElement(0));
                }
            }
        }

        for (; i < values.Length; i++)
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
        var buffer = new float[Math.Min(column.Length, SampleSize + 1)];
        var taken = 0;
        for (var i = 0; i < column.Length; i += step)
        {
            if (!float.IsNaN(column[i]))
            {
                buffer[taken++] = column[i];
            }
        }

        if (taken == 0)
        {
            return new FeatureBinning([]);
        }

        var sample = buffer.AsSpan(0, taken);
        RadixSort(sample);
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
            var remaining = sample.Length;
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

    /// <summary>
    /// Sorts values without NaN ascending (-0 before +0, which compare equal): three 11-bit counting passes over
    /// keys whose unsigned order is the floats' order, several times faster than a comparison sort here.
    /// </summary>
    private static void RadixSort(Span<float> values)
    {
        var keys = MemoryMarshal.Cast<float, uint>(values);
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] ^= (keys[i] >> 31) != 0 ? 0xFFFF_FFFFu : 0x8000_0000u;
        }

        var other = new uint[keys.Length];
        var counts = new int[2048];
        Span<uint> from = keys, to = other;
        for (var shift = 0; shift < 33; shift += 11)
        {
            Array.Clear(counts);
            foreach (var k in from)
            {
                counts[(int)((k >> shift) & 2047)]++;
            }

            var sum = 0;
            for (var b = 0; b < counts.Length; b++)
            {
                (counts[b], sum) = (sum, sum + counts[b]);
            }

            foreach (var k in from)
            {
                to[counts[(int)((k >> shift) & 2047)]++] = k;
            }

            var swap = from;
            from = to;
            to = swap;
        }

        // Three passes leave the sorted keys in the other buffer.
        from.CopyTo(keys);
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] ^= (keys[i] >> 31) != 0 ? 0x8000_0000u : 0xFFFF_FFFFu;
        }
    }

    private static float Midpoint(float a, float b)
    {
        var mid = (float)((a + (double)b) / 2);
        return mid < b ? mid : a;
    }
}
