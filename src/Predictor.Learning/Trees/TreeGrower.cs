namespace Predictor.Learning.Trees;

/// <summary>
/// Grows one tree best-first (the leaf with the largest loss reduction is split next) up to the leaf and
/// depth limits. Rows of a leaf are a segment of one index array, partitioned stably on each split; a
/// split builds the histogram of the smaller child and gets the larger one by subtraction from the parent.
/// With <c>--max-depth D --leaves 2^D</c> the result equals depth-wise growth.
/// </summary>
internal sealed class TreeGrower
{
    private const int ParallelWork = 65_536;

    private readonly BinnedMatrix _data;
    private readonly FeatureBinning[] _binning;
    private readonly GbdtOptions _options;
    private readonly int _stride;
    private readonly int[] _indices;
    private readonly int[] _scratch;
    private readonly Stack<HistogramBin[]> _pool = new();
    private readonly ParallelOptions _parallel;
    private readonly (int Start, int End)[] _blocks;

    public TreeGrower(BinnedMatrix data, FeatureBinning[] binning, GbdtOptions options)
    {
        _data = data;
        _binning = binning;
        _options = options;
        _stride = Math.Max(1, binning.Max(b => b.BinCount));
        _indices = new int[data.Rows];
        _scratch = new int[data.Rows];
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads };
        var blockCount = Math.Min(data.Features, options.Threads * 2);
        _blocks = new (int, int)[blockCount];
        for (var b = 0; b < blockCount; b++)
        {
            _blocks[b] = (b * data.Features / blockCount, (b + 1) * data.Features / blockCount);
        }
    }

    /// <summary>Row indices by leaf after <see cref="Grow"/>: leaf k owns <c>Rows.Slice(segments[k])</c>.</summary>
    public int[] Rows => _indices;

    public RegressionTree Grow(ReadOnlySpan<int> sample, GradientPair[] gradients, bool[] featureUsed, List<(int Start, int Count)> segments)
    {
        sample.CopyTo(_indices);
        var nodes = new NodeLists();
        var root = new Leaf { Start = 0, Count = sample.Length, Depth = 0, Parent = -1, Hist = Rent() };
        ForBlocks(root.Count, (f0, f1) =>
        {
            Histograms.Build(_data, gradients, _indices.AsSpan(0, root.Count), root.Hist, _stride, f0, f1);
        });
        for (var b = 0; b < _binning[0].BinCount; b++)
        {
            root.G += root.Hist[b].G;
            root.H += root.Hist[b].H;
        }

        FindBest(root, featureUsed);
        var leaves = new List<Leaf> { root };
        while (leaves.Count < _options.Leaves)
        {
            var pick = -1;
            for (var i = 0; i < leaves.Count; i++)
            {
                var best = leaves[i].Best;
                if (best.Feature >= 0 && best.Gain > _options.MinSplitGain &&
                    (pick < 0 || best.Gain > leaves[pick].Best.Gain))
                {
                    pick = i;
                }
            }

            if (pick < 0)
            {
                break;
            }

            Split(leaves, pick, nodes, gradients, featureUsed);
        }

        segments.Clear();
        var leafValues = new double[leaves.Count];
        var leafCovers = new double[leaves.Count];
        for (var i = 0; i < leaves.Count; i++)
        {
            var leaf = leaves[i];
            leafValues[i] = -leaf.G / (leaf.H + _options.L2) * _options.LearningRate;
            leafCovers[i] = leaf.Count;
            segments.Add((leaf.Start, leaf.Count));
            Return(leaf);
        }

        return new RegressionTree(
            [.. nodes.Feature], [.. nodes.Bin], [.. nodes.Threshold], [.. nodes.DefaultLeft], [.. nodes.Left], [.. nodes.Right],
            [.. nodes.Gain], [.. nodes.Cover], leafValues, leafCovers);
    }

    private void Split(List<Leaf> leaves, int index, NodeLists nodes, GradientPair[] gradients, bool[] featureUsed)
    {
        var leaf = leaves[index];
        var best = leaf.Best;
        var node = nodes.Feature.Count;
        nodes.Feature.Add(best.Feature);
        nodes.Bin.Add(best.Bin);
        nodes.Threshold.Add(_binning[best.Feature].ThresholdOf(best.Bin));
        nodes.DefaultLeft.Add(best.DefaultLeft);
        nodes.Left.Add(~index);
        nodes.Right.Add(~leaves.Count);
        nodes.Gain.Add(best.Gain);
        nodes.Cover.Add(leaf.Count);
        if (leaf.Parent >= 0)
        {
            (leaf.IsLeft ? nodes.Left : nodes.Right)[leaf.Parent] = node;
        }

        var leftCount = Partition(leaf.Start, leaf.Count, best.Feature, best.Bin, best.DefaultLeft);
        var left = new Leaf
        {
            Start = leaf.Start, Count = leftCount, G = best.LeftG, H = best.LeftH, Depth = leaf.Depth + 1, Parent = node, IsLeft = true,
        };
        var right = new Leaf
        {
            Start = leaf.Start + leftCount, Count = leaf.Count - leftCount, G = leaf.G - best.LeftG, H = leaf.H - best.LeftH,
            Depth = leaf.Depth + 1, Parent = node, IsLeft = false,
        };
        var (small, large) = left.Count <= right.Count ? (left, right) : (right, left);
        var smallHist = Rent();
        var largeHist = leaf.Hist!;
        small.Hist = smallHist;
        large.Hist = largeHist;
        leaf.Hist = null;
        ForBlocks(leaf.Count, (f0, f1) =>
        {
            Histograms.Build(_data, gradients, _indices.AsSpan(small.Start, small.Count), smallHist, _stride, f0, f1);
            Histograms.Subtract(largeHist, smallHist, _stride, f0, f1);
        });
        FindBest(left, featureUsed);
        FindBest(right, featureUsed);
        leaves[index] = left;
        leaves.Add(right);
    }

    private void FindBest(Leaf leaf, bool[] featureUsed)
    {
        leaf.Best = SplitCandidate.None;
        if (leaf.Count < 2 * _options.MinExamplesPerLeaf || (_options.MaxDepth > 0 && leaf.Depth >= _options.MaxDepth))
        {
            Return(leaf);
            return;
        }

        var parentTerm = leaf.G * leaf.G / (leaf.H + _options.L2);
        for (var f = 0; f < _data.Features; f++)
        {
            if (featureUsed[f])
            {
                var candidate = BestForFeature(leaf, f, parentTerm);
                if (candidate.IsBetterThan(leaf.Best))
                {
                    leaf.Best = candidate;
                }
            }
        }

        if (leaf.Best.Feature < 0)
        {
            Return(leaf);
        }
    }

    private SplitCandidate BestForFeature(Leaf leaf, int feature, double parentTerm)
    {
        var best = SplitCandidate.None;
        var hist = leaf.Hist!;
        var offset = feature * _stride;
        var missing = hist[offset];
        var bins = _binning[feature].BinCount;
        double accG = 0, accH = 0;
        var accCount = 0;
        var l2 = _options.L2;
        var minCount = _options.MinExamplesPerLeaf;
        var minHess = _options.MinHessianPerLeaf;
        // t = the last value bin is "every value left, missing right": only meaningful with missing rows.
        var lastT = missing.Count > 0 ? bins - 1 : bins - 2;
        for (var t = 1; t <= lastT; t++)
        {
            var bin = hist[offset + t];
            accG += bin.G;
            accH += bin.H;
            accCount += bin.Count;
            for (var withMissing = t == bins - 1 ? 1 : 0; withMissing < (missing.Count > 0 ? 2 : 1); withMissing++)
            {
                var lg = accG + (withMissing == 0 ? missing.G : 0);
                var lh = accH + (withMissing == 0 ? missing.H : 0);
                var lc = accCount + (withMissing == 0 ? missing.Count : 0);
                var rc = leaf.Count - lc;
                var rh = leaf.H - lh;
                if (lc < minCount || rc < minCount || lh < minHess || rh < minHess)
                {
                    continue;
                }

                var rg = leaf.G - lg;
                var gain = 0.5 * ((lg * lg / (lh + l2)) + (rg * rg / (rh + l2)) - parentTerm);
                if (gain > best.Gain)
                {
                    best = new SplitCandidate
                    {
                        Feature = feature, Bin = t, DefaultLeft = withMissing == 0, Gain = gain, LeftG = lg, LeftH = lh, LeftCount = lc,
                    };
                }
            }
        }

        return best;
    }

    /// <summary>Stable partition of a leaf's segment; returns how many rows went left.</summary>
    private int Partition(int start, int count, int feature, int thresholdBin, bool defaultLeft)
    {
        var chunks = count >= ParallelWork && _options.Threads > 1 ? _options.Threads : 1;
        var leftCounts = new int[chunks];
        var features = _data.Features;
        var bins = _data.Bins;
        var indices = _indices;
        var scratch = _scratch;
        void Chunk(int c)
        {
            var s = start + (int)((long)c * count / chunks);
            var e = start + (int)((long)(c + 1) * count / chunks);
            int l = s, r = e;
            for (var i = s; i < e; i++)
            {
                var row = indices[i];
                var b = bins[((long)row * features) + feature];
                if (b == 0 ? defaultLeft : b <= thresholdBin)
                {
                    scratch[l++] = row;
                }
                else
                {
                    scratch[--r] = row;
                }
            }

            leftCounts[c] = l - s;
        }

        if (chunks == 1)
        {
            Chunk(0);
        }
        else
        {
            Parallel.For(0, chunks, _parallel, Chunk);
        }

        // Gather lefts of every chunk in order, then rights of every chunk in order (they were written backwards).
        var write = start;
        for (var c = 0; c < chunks; c++)
        {
            var s = start + (int)((long)c * count / chunks);
            Array.Copy(scratch, s, indices, write, leftCounts[c]);
            write += leftCounts[c];
        }

        var totalLeft = write - start;
        for (var c = 0; c < chunks; c++)
        {
            var s = start + (int)((long)c * count / chunks);
            var e = start + (int)((long)(c + 1) * count / chunks);
            for (var i = e - 1; i >= s + leftCounts[c]; i--)
            {
                indices[write++] = scratch[i];
            }
        }

        return totalLeft;
    }

    private void ForBlocks(int rows, Action<int, int> body)
    {
        if ((long)rows * _data.Features < ParallelWork || _options.Threads == 1)
        {
            body(0, _data.Features);
            return;
        }

        Parallel.For(0, _blocks.Length, _parallel, b => body(_blocks[b].Start, _blocks[b].End));
    }

    private HistogramBin[] Rent() => _pool.Count > 0 ? _pool.Pop() : new HistogramBin[_data.Features * _stride];

    private void Return(Leaf leaf)
    {
        if (leaf.Hist is { } hist)
        {
            _pool.Push(hist);
            leaf.Hist = null;
        }
    }

    private sealed class Leaf
    {
        public int Start;
        public int Count;
        public double G;
        public double H;
        public int Depth;
        public int Parent;
        public bool IsLeft;
        public HistogramBin[]? Hist;
        public SplitCandidate Best;
    }

    private sealed class NodeLists
    {
        public readonly List<int> Feature = [];
        public readonly List<int> Bin = [];
        public readonly List<float> Threshold = [];
        public readonly List<bool> DefaultLeft = [];
        public readonly List<int> Left = [];
        public readonly List<int> Right = [];
        public readonly List<double> Gain = [];
        public readonly List<double> Cover = [];
    }
}
