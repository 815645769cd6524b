using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Predictor.Learning.Trees;

/// <summary>
/// A forest flattened for fast scoring. Trees no deeper than <see cref="MaxCompleteDepth"/> are padded to
/// complete binary trees of the forest's depth D, so a row walks exactly D levels with
/// <c>i = 2i + 1 + (x &gt; t | isNaN(x) &amp; defaultRight)</c> and no unpredictable branch; deeper forests
/// walk node arrays. Rows are scored in blocks transposed to row-major, each block against every tree.
/// </summary>
internal sealed class CompiledForest
{
    public const int MaxCompleteDepth = 10;
    private const int BlockRows = 64;

    private readonly int _features;
    private readonly double _baseScore;
    private readonly int _depth;
    private readonly int _treeCount;
    private readonly int[] _feature;
    private readonly float[] _threshold;
    private readonly int[] _defaultRight;
    private readonly double[] _leaf;
    private readonly GbdtModel? _fallback;

    public CompiledForest(GbdtModel model)
    {
        _features = model.FeatureNames.Length;
        _baseScore = model.BaseScore;
        _treeCount = model.Trees.Count;
        _depth = model.Trees.Count == 0 ? 0 : model.Trees.Max(t => t.Depth());
        if (_depth > MaxCompleteDepth)
        {
            _fallback = model;
            _feature = [];
            _threshold = [];
            _defaultRight = [];
            _leaf = [];
            return;
        }

        var internalPerTree = (1 << _depth) - 1;
        var leavesPerTree = 1 << _depth;
        _feature = new int[_treeCount * internalPerTree];
        _threshold = new float[_treeCount * internalPerTree];
        _defaultRight = new int[_treeCount * internalPerTree];
        _leaf = new double[_treeCount * leavesPerTree];
        for (var t = 0; t < _treeCount; t++)
        {
            Fill(model.Trees[t], model.Trees[t].Root, t, 0, 0);
        }
    }

    public int Depth => _depth;

    public double[] RawScores(float[][] columns, int threads)
    {
        var rows = columns.Length == 0 ? 0 : columns[0].Length;
        var scores = new double[rows];
        var blocks = (rows + BlockRows - 1) / BlockRows;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => new float[BlockRows * _features], (b, _, buffer) =>
        {
            var start = b * BlockRows;
            var count = Math.Min(BlockRows, rows - start);
            for (var f = 0; f < _features; f++)
            {
                var column = columns[f];
                for (var i = 0; i < count; i++)
                {
                    buffer[(i * _features) + f] = column[start + i];
                }
            }

            ScoreBlock(buffer, count, scores.AsSpan(start, count));
            return buffer;
        }, _ => { });
        return scores;
    }

    public double RawScore(ReadOnlySpan<float> row)
    {
        if (_fallback is not null)
        {
            return _fallback.RawScore(row);
        }

        var total = _baseScore;
        for (var t = 0; t < _treeCount; t++)
        {
            total += Walk(row, t);
        }

        return total;
    }

    private void ScoreBlock(float[] buffer, int count, Span<double> scores)
    {
        if (_fallback is not null)
        {
            for (var i = 0; i < count; i++)
            {
                scores[i] = _fallback.RawScore(buffer.AsSpan(i * _features, _features));
            }

            return;
        }

        scores.Fill(_baseScore);
        var i0 = 0;
        for (; i0 + 4 <= count; i0 += 4)
        {
            ScoreFour(buffer, i0, scores);
        }

        for (; i0 < count; i0++)
        {
            var row = buffer.AsSpan(i0 * _features, _features);
            for (var t = 0; t < _treeCount; t++)
            {
                scores[i0] += Walk(row, t);
            }
        }
    }

    /// <summary>Four rows walk each tree together so their independent loads overlap.</summary>
    private void ScoreFour(float[] buffer, int i0, Span<double> scores)
    {
        ref var x = ref MemoryMarshal.GetArrayDataReference(buffer);
        ref var feature = ref MemoryMarshal.GetArrayDataReference(_feature);
        ref var threshold = ref MemoryMarshal.GetArrayDataReference(_threshold);
        ref var defaultRight = ref MemoryMarshal.GetArrayDataReference(_defaultRight);
        ref var leaf = ref MemoryMarshal.GetArrayDataReference(_leaf);
        var internalPerTree = (1 << _depth) - 1;
        var f = _features;
        nint r0 = i0 * f, r1 = r0 + f, r2 = r1 + f, r3 = r2 + f;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (var t = 0; t < _treeCount; t++)
        {
            var nodeBase = t * internalPerTree;
            int n0 = 0, n1 = 0, n2 = 0, n3 = 0;
            for (var d = 0; d < _depth; d++)
            {
                n0 = Step(ref x, r0, n0, nodeBase, ref feature, ref threshold, ref defaultRight);
                n1 = Step(ref x, r1, n1, nodeBase, ref feature, ref threshold, ref defaultRight);
                n2 = Step(ref x, r2, n2, nodeBase, ref feature, ref threshold, ref defaultRight);
                n3 = Step(ref x, r3, n3, nodeBase, ref feature, ref threshold, ref defaultRight);
            }

            var leafBase = (t << _depth) - internalPerTree;
            s0 += Unsafe.Add(ref leaf, leafBase + n0);
            s1 += Unsafe.Add(ref leaf, leafBase + n1);
            s2 += Unsafe.Add(ref leaf, leafBase + n2);
            s3 += Unsafe.Add(ref leaf, leafBase + n3);
        }

        scores[i0] += s0;
        scores[i0 + 1] += s1;
        scores[i0 + 2] += s2;
        scores[i0 + 3] += s3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Step(ref float x, nint row, int node, int nodeBase, ref int feature, ref float threshold, ref int defaultRight)
    {
        var k = nodeBase + node;
        var v = Unsafe.Add(ref x, row + Unsafe.Add(ref feature, k));
        var right = (v > Unsafe.Add(ref threshold, k) ? 1 : 0) | ((float.IsNaN(v) ? 1 : 0) & Unsafe.Add(ref defaultRight, k));
        return (2 * node) + 1 + right;
    }

    private double Walk(ReadOnlySpan<float> row, int tree)
    {
        var internalPerTree = (1 << _depth) - 1;
        var nodeBase = tree * internalPerTree;
        var node = 0;
        for (var d = 0; d < _depth; d++)
        {
            var k = nodeBase + node;
            var v = row[_feature[k]];
            var right = (v > _threshold[k] ? 1 : 0) | ((float.IsNaN(v) ? 1 : 0) & _defaultRight[k]);
            node = (2 * node) + 1 + right;
        }

        return _leaf[(tree << _depth) + node - internalPerTree];
    }

    /// <summary>Copies a subtree into complete-tree slot <paramref name="slot"/> at <paramref name="level"/>.</summary>
    private void Fill(RegressionTree tree, int node, int t, int slot, int level)
    {
        var internalPerTree = (1 << _depth) - 1;
        if (level == _depth)
        {
            _leaf[(t << _depth) + slot - internalPerTree] = tree.LeafValue[~node];
            return;
        }

        var k = (t * internalPerTree) + slot;
        if (node < 0)
        {
            // A leaf above the full depth: a pass-through node that always goes left (x > +inf is false, NaN goes left).
            _feature[k] = 0;
            _threshold[k] = float.PositiveInfinity;
            _defaultRight[k] = 0;
            Fill(tree, node, t, (2 * slot) + 1, level + 1);
            return;
        }

        _feature[k] = tree.SplitFeature[node];
        _threshold[k] = tree.Threshold[node];
        _defaultRight[k] = tree.DefaultLeft[node] ? 0 : 1;
        Fill(tree, tree.Left[node], t, (2 * slot) + 1, level + 1);
        Fill(tree, tree.Right[node], t, (2 * slot) + 2, level + 1);
    }
}
