namespace Predictor.Learning.TimeSeries.Novelty;

/// <summary>The last <c>capacity</c> values kept both in arrival order and sorted, for a median and MAD per point in O(capacity).</summary>
internal sealed class RollingQuantiles
{
    private readonly double[] _ring;
    private readonly double[] _sorted;
    private readonly double[] _deviations;
    private int _start;

    public RollingQuantiles(int capacity)
    {
        _ring = new double[capacity];
        _sorted = new double[capacity];
        _deviations = new double[capacity];
    }

    public int Count { get; private set; }

    public bool IsFull => Count == _ring.Length;

    public void Add(double value)
    {
        if (IsFull)
        {
            double oldest = _ring[_start];
            int at = Array.BinarySearch(_sorted, 0, Count, oldest);
            Array.Copy(_sorted, at + 1, _sorted, at, Count - at - 1);
            _ring[_start] = value;
            _start = (_start + 1) % _ring.Length;
            Count--;
        }
        else
        {
            _ring[(_start + Count) % _ring.Length] = value;
        }

        int insert = Array.BinarySearch(_sorted, 0, Count, value);
        insert = insert < 0 ? ~insert : insert;
        Array.Copy(_sorted, insert, _sorted, insert + 1, Count - insert);
        _sorted[insert] = value;
        Count++;
    }

    public double Median() => Quantile(_sorted.AsSpan(0, Count));

    /// <summary>Median absolute deviation from <paramref name="median"/>.</summary>
    public double Mad(double median)
    {
        // the deviations of a sorted array around its median, merged from both sides in increasing order
        var sorted = _sorted.AsSpan(0, Count);
        int lo = sorted.BinarySearch(median);
        lo = lo < 0 ? ~lo : lo;
        int hi = lo;
        lo--;
        for (int k = 0; k < Count; k++)
        {
            if (hi >= Count || (lo >= 0 && median - sorted[lo] <= sorted[hi] - median))
            {
                _deviations[k] = median - sorted[lo--];
            }
            else
            {
                _deviations[k] = sorted[hi++] - median;
            }
        }

        return Quantile(_deviations.AsSpan(0, Count));
    }

    private static double Quantile(ReadOnlySpan<double> sorted) =>
        sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
