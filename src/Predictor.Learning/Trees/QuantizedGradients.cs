using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Predictor.Learning.Trees;

/// <summary>
/// Gradients and hessians of the logistic loss per row, in fixed point: <see cref="Pairs"/> holds for each row
/// <c>(round(g·ScaleG), round(h·ScaleH) &lt;&lt; CountBits | 1)</c>, so summing the second lane over rows sums the
/// hessians in the high bits and counts the rows in the low bits. A row's pair is one 16-byte load, which a
/// histogram adds to a bin with one instruction (a deep leaf's rows are scattered: one cache line per row, not two).
/// <para>
/// Integer sums are exact and do not depend on the order of addition: histograms can be summed by any number of
/// threads over any row blocks, and a sibling obtained by subtraction equals the one built directly, which keeps
/// training bitwise identical for any thread count. The scales are powers of two chosen each round from that
/// round's sums of |g| and h (summed in fixed blocks, in block order, so the same for any thread count) so that no
/// sum over all rows can overflow: the round's gradients keep about 61 bits and its hessians about
/// 61 - <see cref="CountBits"/> bits relative to their total (with a million rows, 2^-41 and 2^-21 of it at the start).
/// </para>
/// </summary>
internal sealed class QuantizedGradients
{
    private const int Block = 16_384;
    private const int MaxExponent = 900;

    private readonly double[] _labels;
    private readonly double[] _weights;
    private readonly double[] _g;
    private readonly double[] _h;
    private readonly double[] _blockAbsG;
    private readonly double[] _blockH;
    private double _gradientUnit;
    private double _hessianUnit;

    public QuantizedGradients(float[] labels, float[] weights)
    {
        var rows = labels.Length;
        _labels = new double[rows];
        _weights = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            _labels[i] = labels[i];
            _weights[i] = weights[i];
        }

        _g = new double[rows];
        _h = new double[rows];
        _blockAbsG = new double[(rows + Block - 1) / Block];
        _blockH = new double[_blockAbsG.Length];
        Pairs = new Vector128<long>[rows];
        CountBits = 64 - BitOperations.LeadingZeroCount((ulong)Math.Max(1, rows));
        CountMask = (1L << CountBits) - 1;
    }

    /// <summary>Per row: gradient times <see cref="ScaleG"/>, rounded; hessian times <see cref="ScaleH"/>, rounded, shifted left by <see cref="CountBits"/>, plus one.</summary>
    public Vector128<long>[] Pairs { get; }

    public double ScaleG { get; private set; }

    public double ScaleH { get; private set; }

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
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        Parallel.For(0, _blockAbsG.Length, parallel, b => Derivatives(scores, b));

        double absG = 0, h = 0;
        for (var b = 0; b < _blockAbsG.Length; b++)
        {
            absG += _blockAbsG[b];
            h += _blockH[b];
        }

        // Rounding adds at most half a unit per row, and rows < 2^CountBits, so 2^61 · (1 + 2^-30) bounds every
        // sum of |g| units and 2^(61 - CountBits) · 2 every sum of h units: neither can overflow or reach the counts.
        // (Capped far below double's range: a round whose gradients are all exactly 0 must not scale by infinity.)
        ScaleG = Math.ScaleB(1.0, Math.Min(MaxExponent, 61 - CeilLog2(absG)));
        ScaleH = Math.ScaleB(1.0, Math.Min(MaxExponent, 61 - CountBits - CeilLog2(h)));
        _gradientUnit = 1 / ScaleG;
        _hessianUnit = 1 / ScaleH;
        Parallel.For(0, _blockAbsG.Length, parallel, Quantize);
    }

    private void Derivatives(double[] scores, int block)
    {
        var start = block * Block;
        var end = Math.Min(scores.Length, start + Block);
        var one = Vector256<double>.One;
        var absG = Vector256<double>.Zero;
        var sumH = Vector256<double>.Zero;
        Span<double> s = stackalloc double[Vector256<double>.Count];
        Span<double> y = stackalloc double[Vector256<double>.Count];
        Span<double> w = stackalloc double[Vector256<double>.Count];
        for (var i = start; i < end; i += Vector256<double>.Count)
        {
            Vector256<double> score, label, weight;
            var n = Math.Min(Vector256<double>.Count, end - i);
            if (n == Vector256<double>.Count)
            {
                score = Vector256.Create(scores.AsSpan(i, n));
                label = Vector256.Create(_labels.AsSpan(i, n));
                weight = Vector256.Create(_weights.AsSpan(i, n));
            }
            else
            {
                // The tail goes through the same vector code (padded with weight 0), so every row's value comes from one formula.
                s.Clear();
                y.Clear();
                w.Clear();
                scores.AsSpan(i, n).CopyTo(s);
                _labels.AsSpan(i, n).CopyTo(y);
                _weights.AsSpan(i, n).CopyTo(w);
                (score, label, weight) = (Vector256.Create<double>(s), Vector256.Create<double>(y), Vector256.Create<double>(w));
            }

            var p = one / (one + Vector256.Exp(-score));
            var g = (p - label) * weight;
            var h = Vector256.Max(p * (one - p), Vector256.Create(1e-16)) * weight;
            absG += Vector256.Abs(g);
            sumH += h;
            if (n == Vector256<double>.Count)
            {
                g.CopyTo(_g.AsSpan(i));
                h.CopyTo(_h.AsSpan(i));
            }
            else
            {
                for (var k = 0; k < n; k++)
                {
                    _g[i + k] = g.GetElement(k);
                    _h[i + k] = h.GetElement(k);
                }
            }
        }

        _blockAbsG[block] = Vector256.Sum(absG);
        _blockH[block] = Vector256.Sum(sumH);
    }

    private void Quantize(int block)
    {
        var start = block * Block;
        var end = Math.Min(_g.Length, start + Block);
        var i = start;
        for (; i + Vector256<double>.Count <= end; i += Vector256<double>.Count)
        {
            var (g, h) = Quantize(Vector256.Create(_g.AsSpan(i, 4)), Vector256.Create(_h.AsSpan(i, 4)));
            Store(i, g, h);
        }

        for (; i < end; i++)
        {
            var (g, h) = Quantize(Vector256.Create(_g[i]), Vector256.Create(_h[i]));
            Pairs[i] = Vector128.Create(g.GetElement(0), h.GetElement(0));
        }
    }

    private (Vector256<long> G, Vector256<long> H) Quantize(Vector256<double> g, Vector256<double> h)
    {
        var gq = Vector256.ConvertToInt64(Vector256.Round(g * ScaleG));
        var hq = Vector256.ConvertToInt64(Vector256.Round(h * ScaleH));
        return (gq, Vector256.ShiftLeft(hq, CountBits) | Vector256<long>.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Store(int i, Vector256<long> g, Vector256<long> h)
    {
        // (g0 h0 g2 h2) and (g1 h1 g3 h3), then rows in order.
        var evens = Vector256.Shuffle(g, Vector256.Create(0L, 0, 2, 2)) & Vector256.Create(-1L, 0, -1, 0);
        evens |= Vector256.Shuffle(h, Vector256.Create(0L, 0, 2, 2)) & Vector256.Create(0L, -1, 0, -1);
        var odds = Vector256.Shuffle(g, Vector256.Create(1L, 1, 3, 3)) & Vector256.Create(-1L, 0, -1, 0);
        odds |= Vector256.Shuffle(h, Vector256.Create(1L, 1, 3, 3)) & Vector256.Create(0L, -1, 0, -1);
        ref var pairs = ref MemoryMarshal.GetArrayDataReference(Pairs);
        Unsafe.Add(ref pairs, i) = evens.GetLower();
        Unsafe.Add(ref pairs, i + 1) = odds.GetLower();
        Unsafe.Add(ref pairs, i + 2) = evens.GetUpper();
        Unsafe.Add(ref pairs, i + 3) = odds.GetUpper();
    }

    private static int CeilLog2(double x) => (int)Math.Ceiling(Math.Log2(Math.Max(x, double.Epsilon)));
}
