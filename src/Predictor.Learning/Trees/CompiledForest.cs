using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Predictor.Learning.Trees;

/// <summary>
/// A forest flattened for fast scoring. Trees no deeper than <see cref="MaxCompleteDepth"/> are padded to
/// complete binary trees of the forest's depth D, so a row walks exactly D levels with
/// <c>i = 2i + 1 + (x &gt; t | isNaN(x) &amp; defaultRight)</c> and no unpredictable branch; deeper forests
/// walk node arrays. Rows are scored in blocks transposed to row-major, each block against every tree, eight rows at a time.
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
    private readonly PackedNode[] _nodes;
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
            _nodes = [];
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

        _nodes = new PackedNode[_feature.Length];
        for (var k = 0; k < _nodes.Length; k++)
        {
            _nodes[k] = new PackedNode { FeatureAndDefault = _feature[k] | (_defaultRight[k] << 31), Threshold = _threshold[k] };
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
        for (; i0 + 8 <= count; i0 += 8)
        {
            ScoreEight(buffer, i0, scores);
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

    /// <summary>Eight rows walk each tree together so their independent loads overlap.</summary>
    private void ScoreEight(float[] buffer, int i0, Span<double> scores)
    {
        ref var x = ref MemoryMarshal.GetArrayDataReference(buffer);
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var leaf = ref MemoryMarshal.GetArrayDataReference(_leaf);
        var internalPerTree = (1 << _depth) - 1;
        var f = _features;
        nint r0 = i0 * f;
        Span<double> sums = stackalloc double[8];
        sums.Clear();
        for (var t = 0; t < _treeCount; t++)
        {
            ref var tree = ref Unsafe.Add(ref nodes, t * internalPerTree);
            int n0 = 0, n1 = 0, n2 = 0, n3 = 0, n4 = 0, n5 = 0, n6 = 0, n7 = 0;
            for (var d = 0; d < _depth; d++)
            {
                n0 = Step(ref x, r0, n0, ref tree);
                n1 = Step(ref x, r0 + f, n1, ref tree);
                n2 = Step(ref x, r0 + (2 * f), n2, ref tree);
                n3 = Step(ref x, r0 + (3 * f), n3, ref tree);
                n4 = Step(ref x, r0 + (4 * f), n4, ref tree);
                n5 = Step(ref x, r0 + (5 * f), n5, ref tree);
                n6 = Step(ref x, r0 + (6 * f), n6, ref tree);
                n7 = Step(ref x, r0 + (7 * f), n7, ref tree);
            }

            ref var leaves = ref Unsafe.Add(ref leaf, (t << _depth) - internalPerTree);
            sums[0] += Unsafe.Add(ref leaves, n0);
            sums[1] += Unsafe.Add(ref leaves, n1);
            sums[2] += Unsafe.Add(ref leaves, n2);
            sums[3] += Unsafe.Add(ref leaves, n3);
            sums[4] += Unsafe.Add(ref leaves, n4);
            sums[5] += Unsafe.Add(ref leaves, n5);
            sums[6] += Unsafe.Add(ref leaves, n6);
            sums[7] += Unsafe.Add(ref leaves, n7);
        }

        for (var k = 0; k < 8; k++)
        {
            scores[i0 + k] += sums[k];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Step(ref float x, nint row, int node, ref PackedNode tree)
    {
        var n = Unsafe.Add(ref tree, node);
        var v = Unsafe.Add(ref x, row + (n.FeatureAndDefault & int.MaxValue));
        var right = (v > n.Threshold ? 1 : 0) | ((float.IsNaN(v) ? 1 : 0) & (int)((uint)n.FeatureAndDefault >> 31));
        return (2 * node) + 1 + right;
    }

    /// <summary>Feature index with the default-right flag in the top bit, and the threshold: one 8-byte load per level.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct PackedNode
    {
        public int FeatureAndDefault;
        public float Threshold;
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
