using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Predictor.Learning.Trees;

/// <summary>
/// Gradients and hessians of the logistic loss per row, in fixed point: <see cref="Pairs"/> holds for each row
/// <c>(round(g·ScaleG), round(h·ScaleH) &lt;&lt; CountBits | 1)</c>, so summing the second lane over rows sums the
/// hessians in the high bits and counts the rows in the low bits. A row's pair is one 16-byte load, which a
/// histogram adds to a bin with one instruction (a deep leaf's rows are scattered: one cache line per row, not two). Integer sums are exact and
/// do not depend on the order of addition: histograms can be summed by any number of threads over any row blocks,
/// and a sibling obtained by subtraction equals the one built directly, which keeps training bitwise identical for
/// any thread count. The scales are powers of two fixed by the row count and the largest weight, chosen so that no
/// sum over all rows can overflow: with a million rows a gradient is kept to 2^-41 and a hessian to 2^-21.
/// </summary>
internal sealed class QuantizedGradients
{
    private const int Block = 16_384;

    private readonly double[] _labels;
    private readonly double[] _weights;
    private readonly double _gradientUnit;
    private readonly double _hessianUnit;

    public QuantizedGradients(float[] labels, float[] weights)
    {
        var rows = labels.Length;
        _labels = new double[rows];
        _weights = new double[rows];
        double maxWeight = 1;
        for (var i = 0; i < rows; i++)
        {
            _labels[i] = labels[i];
            _weights[i] = weights[i];
            maxWeight = Math.Max(maxWeight, weights[i]);
        }

        Pairs = new Vector128<long>[rows];
        CountBits = 64 - BitOperations.LeadingZeroCount((ulong)Math.Max(1, rows));
        CountMask = (1L << CountBits) - 1;
        // |g| <= w and h <= w/4 per row; one more unit per row covers rounding. Sums stay below 2^62 (g) and
        // 2^(62 - CountBits) (h), so the count bits below never carry into the hessian.
        ScaleG = Math.ScaleB(1.0, 62 - CeilLog2(rows * (maxWeight + 1)));
        ScaleH = Math.ScaleB(1.0, 62 - CountBits - CeilLog2(rows * ((maxWeight / 4) + 1)));
        _gradientUnit = 1 / ScaleG;
        _hessianUnit = 1 / ScaleH;
    }

    /// <summary>Per row: gradient times <see cref="ScaleG"/>, rounded; hessian times <see cref="ScaleH"/>, rounded, shifted left by <see cref="CountBits"/>, plus one.</summary>
    public Vector128<long>[] Pairs { get; }

    public double ScaleG { get; }

    public double ScaleH { get; }

    public int CountBits { get; }

    public long CountMask { get; }

    /// <summary>A gradient sum as a number (the scales are powers of two, so multiplying by the unit is exact).</summary>
    public double Gradient(long sum) => sum * _gradientUnit;

    public double Hessian(long hessianAndCount) => (hessianAndCount >> CountBits) * _hessianUnit;

    public int Count(long hessianAndCount) => (int)(hessianAndCount & CountMask);

    /// <summary>Gradients at the current raw scores (log-odds). Rows are split in fixed blocks, so the result is the same for any thread count.</summary>
    public void Compute(double[] scores, int threads)
    {
        var rows = scores.Length;
        var blocks = (rows + Block - 1) / Block;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, b =>
        {
            var start = b * Block;
            var end = Math.Min(rows, start + Block);
            var i = start;
            for (; i + Vector256<double>.Count <= end; i += Vector256<double>.Count)
            {
                Store(i, Compute(
                    Vector256.LoadUnsafe(ref scores[i]), Vector256.LoadUnsafe(ref _labels[i]), Vector256.LoadUnsafe(ref _weights[i])));
            }

            if (i < end)
            {
                // The tail goes through the same vector code, so every row's value comes from one formula.
                Span<double> s = stackalloc double[Vector256<double>.Count];
                Span<double> y = stackalloc double[Vector256<double>.Count];
                Span<double> w = stackalloc double[Vector256<double>.Count];
                scores.AsSpan(i, end - i).CopyTo(s);
                _labels.AsSpan(i, end - i).CopyTo(y);
                _weights.AsSpan(i, end - i).CopyTo(w);
                var (g, h) = Compute(Vector256.Create<double>(s), Vector256.Create<double>(y), Vector256.Create<double>(w));
                for (var k = 0; i + k < end; k++)
                {
                    Pairs[i + k] = Vector128.Create(g.GetElement(k), h.GetElement(k));
                }
            }
        });
    }

    private (Vector256<long> G, Vector256<long> H) Compute(Vector256<double> score, Vector256<double> label, Vector256<double> weight)
    {
        var one = Vector256<double>.One;
        var p = one / (one + Vector256.Exp(-score));
        var g = (p - label) * weight;
        var h = Vector256.Max(p * (one - p), Vector256.Create(1e-16)) * weight;
        var gq = Vector256.ConvertToInt64(Vector256.Round(g * ScaleG));
        var hq = Vector256.ConvertToInt64(Vector256.Round(h * ScaleH));
        return (gq, Vector256.ShiftLeft(hq, CountBits) | Vector256<long>.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Store(int i, (Vector256<long> G, Vector256<long> H) values)
    {
        // (g0 h0 g2 h2) and (g1 h1 g3 h3), then rows in order.
        var low = Vector256.Shuffle(values.G, Vector256.Create(0L, 0, 2, 2)) & Vector256.Create(-1L, 0, -1, 0);
        low |= Vector256.Shuffle(values.H, Vector256.Create(0L, 0, 2, 2)) & Vector256.Create(0L, -1, 0, -1);
        var high = Vector256.Shuffle(values.G, Vector256.Create(1L, 1, 3, 3)) & Vector256.Create(-1L, 0, -1, 0);
        high |= Vector256.Shuffle(values.H, Vector256.Create(1L, 1, 3, 3)) & Vector256.Create(0L, -1, 0, -1);
        ref var pairs = ref MemoryMarshal.GetArrayDataReference(Pairs);
        Unsafe.Add(ref pairs, i) = low.GetLower();
        Unsafe.Add(ref pairs, i + 1) = high.GetLower();
        Unsafe.Add(ref pairs, i + 2) = low.GetUpper();
        Unsafe.Add(ref pairs, i + 3) = high.GetUpper();
    }

    private static int CeilLog2(double x) => (int)Math.Ceiling(Math.Log2(Math.Max(1, x)));
}
