using System.Numerics;

namespace Predictor.Learning.TimeSeries.Novelty;

/// <summary>
/// Distance from the newest <c>dimension</c> points (as a vector) to the nearest of the last <c>history</c> such vectors
/// that do not overlap it: a shape never seen before scores high, a repeating pattern or stationary noise low.
/// </summary>
internal sealed class NearestNeighbourDistance
{
    private readonly int _dimension;
    private readonly int _history;
    private readonly float[] _vectors;
    private readonly float[] _current;
    private readonly Queue<double> _recent = new();
    private int _stored;
    private int _next;

    public NearestNeighbourDistance(int dimension, int history)
    {
        _dimension = dimension;
        _history = history;
        _vectors = new float[dimension * history];
        _current = new float[dimension];
    }

    /// <summary>Adds a value; returns the nearest-neighbour distance of the newest vector, or NaN until there is history.</summary>
    public double Add(double value)
    {
        _recent.Enqueue(value);
        if (_recent.Count > _dimension)
        {
            _recent.Dequeue();
        }

        if (_recent.Count < _dimension)
        {
            return double.NaN;
        }

        int k = 0;
        foreach (double v in _recent)
        {
            _current[k++] = (float)v;
        }

        double best = double.NaN;
        int usable = _stored - _dimension; // the newest vectors overlap the current one
        if (usable > 0)
        {
            best = double.MaxValue;
            for (int age = _dimension; age < _stored; age++)
            {
                int slot = ((_next - 1 - age) % _history + _history) % _history;
                best = Math.Min(best, Distance(_vectors.AsSpan(slot * _dimension, _dimension), _current));
            }

            best = Math.Sqrt(best);
        }

        _current.CopyTo(_vectors.AsSpan(_next * _dimension, _dimension));
        _next = (_next + 1) % _history;
        _stored = Math.Min(_stored + 1, _history);
        return best;
    }

    private static float Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float sum = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<float>.Zero;
            for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var d = new Vector<float>(a[i..]) - new Vector<float>(b[i..]);
                acc += d * d;
            }

            sum = Vector.Sum(acc);
        }

        for (; i < a.Length; i++)
        {
            float d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }
}
