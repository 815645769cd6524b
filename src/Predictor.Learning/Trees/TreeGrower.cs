using System.Runtime.Intrinsics;

namespace Predictor.Learning.Trees;

/// <summary>
/// Grows one tree up to the leaf and depth limits, either best leaf first (<see cref="GrowPolicy.LeafWise"/>) or
/// a whole level at a time (<see cref="GrowPolicy.DepthWise"/>); both run the same step on a batch of leaves:
/// partition their rows (<see cref="LeafRows"/>), build the histogram of each smaller child and turn the parent's
/// into the larger child's by subtraction (<see cref="HistogramJobs"/>), then search every new leaf's features for
/// its best split (<see cref="SplitFinder"/>). Children that will never be split (too deep, too few rows, or the
/// leaf limit reached) get no histogram at all. All sums are exact integers (<see cref="QuantizedGradients"/>), so
/// how rows are cut among threads never changes the tree.
/// </summary>
internal sealed class TreeGrower
{
    private readonly BinnedMatrix _data;
    private readonly FeatureBinning[] _binning;
    private readonly GbdtOptions _options;
    private readonly int _features;
    private readonly int _stride;
    private readonly LeafRows _rows;
    private readonly ParallelOptions _parallel;
    private readonly HistogramJobs _histograms;
    private readonly NodeLists _nodes = new();
    private readonly Action<int> _searchTask;
    private Leaf[] _leaves;
    private int[] _batch;
    private int _leafCount;
    private (int Leaf, int Feature)[] _searches = new (int, int)[64];
    private SplitCandidate[] _candidates = new SplitCandidate[64];
    private int _searchCount;
    private QuantizedGradients _gradients = null!;

    public TreeGrower(BinnedMatrix data, FeatureBinning[] binning, GbdtOptions options)
    {
        _data = data;
        _binning = binning;
        _options = options;
        _features = data.Features;
        _stride = Math.Max(1, binning.Max(b => b.BinCount));
        _rows = new LeafRows(data.Rows, options.Threads);
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads };
        _leaves = new Leaf[Math.Min(options.Leaves, 64)];
        _batch = new int[_leaves.Length];
        _histograms = new HistogramJobs(data, _rows, _stride, options.Threads);
        _searchTask = RunSearch;
    }

    /// <summary>Row indices by leaf after <see cref="Grow"/>: leaf k owns <c>Rows.Slice(segments[k])</c>.</summary>
    public int[] Rows => _rows.Indices;

    public RegressionTree Grow(ReadOnlySpan<int> sample, QuantizedGradients gradients, bool[] featureUsed, List<(int Start, int Count)> segments)
    {
        _gradients = gradients;
        sample.CopyTo(_rows.Indices);
        _nodes.Clear();
        var rootHist = Rent();
        _leaves[0] = new Leaf { Start = 0, Count = sample.Length, Depth = 0, Parent = -1, Best = SplitCandidate.None };
        _leafCount = 1;
        _histograms.Clear();
        _histograms.QueueBuild(0, sample.Length, rootHist);
        _histograms.Run(gradients);
        long g = 0, hc = 0;
        for (var b = 0; b < _binning[0].BinCount; b++)
        {
            g += rootHist[b].GetElement(0);
            hc += rootHist[b].GetElement(1);
        }

        _leaves[0].G = g;
        _leaves[0].HessianAndCount = hc;
        _leaves[0].Hist = CanSplit(_leaves[0], 1) ? rootHist : Return(rootHist);
        Search(0, 1, featureUsed);

        while (_leafCount < _options.Leaves)
        {
            var batch = PickBatch();
            if (batch == 0)
            {
                break;
            }

            Expand(batch, featureUsed);
        }

        segments.Clear();
        var leafValues = new double[_leafCount];
        var leafCovers = new double[_leafCount];
        for (var i = 0; i < _leafCount; i++)
        {
            ref var leaf = ref _leaves[i];
            var h = gradients.Hessian(leaf.HessianAndCount);
            leafValues[i] = -gradients.Gradient(leaf.G) / (h + _options.L2) * _options.LearningRate;
            leafCovers[i] = leaf.Count;
            segments.Add((leaf.Start, leaf.Count));
            if (leaf.Hist is { } hist)
            {
                Return(hist);
                leaf.Hist = null;
            }
        }

        return new RegressionTree(
            [.. _nodes.Feature], [.. _nodes.Bin], [.. _nodes.Threshold], [.. _nodes.DefaultLeft], [.. _nodes.Left], [.. _nodes.Right],
            [.. _nodes.Gain], [.. _nodes.Cover], leafValues, leafCovers);
    }

    /// <summary>The leaves to split next, in leaf order, into <see cref="_batch"/>; 0 when none can be split.</summary>
    private int PickBatch()
    {
        if (_options.GrowPolicy == GrowPolicy.LeafWise)
        {
            var pick = -1;
            for (var i = 0; i < _leafCount; i++)
            {
                if (Splittable(i) && (pick < 0 || _leaves[i].Best.Gain > _leaves[pick].Best.Gain))
                {
                    pick = i;
                }
            }

            _batch[0] = pick;
            return pick < 0 ? 0 : 1;
        }

        var count = 0;
        for (var i = 0; i < _leafCount; i++)
        {
            if (Splittable(i))
            {
                _batch[count++] = i;
            }
        }

        var room = _options.Leaves - _leafCount;
        if (count > room)
        {
            // The level does not fit under the leaf limit: keep its best splits (ties to the lower leaf).
            var leaves = _leaves;
            Array.Sort(_batch, 0, count, Comparer<int>.Create((a, b) =>
                leaves[a].Best.Gain != leaves[b].Best.Gain ? leaves[b].Best.Gain.CompareTo(leaves[a].Best.Gain) : a.CompareTo(b)));
            Array.Sort(_batch, 0, room);
            count = room;
        }

        return count;
    }

    private bool Splittable(int leaf) => _leaves[leaf].Best.Feature >= 0 && _leaves[leaf].Best.Gain > _options.MinSplitGain;

    private bool CanSplit(in Leaf leaf, int leavesAfter) =>
        leavesAfter < _options.Leaves && leaf.Count >= 2 * _options.MinExamplesPerLeaf &&
        (_options.MaxDepth == 0 || leaf.Depth < _options.MaxDepth);

    private void Expand(int batch, bool[] featureUsed)
    {
        _rows.Clear();
        for (var k = 0; k < batch; k++)
        {
            ref var leaf = ref _leaves[_batch[k]];
            var best = leaf.Best;
            var node = _nodes.Feature.Count;
            _nodes.Feature.Add(best.Feature);
            _nodes.Bin.Add(best.Bin);
            _nodes.Threshold.Add(_binning[best.Feature].ThresholdOf(best.Bin));
            _nodes.DefaultLeft.Add(best.DefaultLeft);
            _nodes.Left.Add(~_batch[k]);
            _nodes.Right.Add(~(_leafCount + k));
            _nodes.Gain.Add(best.Gain);
            _nodes.Cover.Add(leaf.Count);
            if (leaf.Parent >= 0)
            {
                (leaf.IsLeft ? _nodes.Left : _nodes.Right)[leaf.Parent] = node;
            }

            leaf.Parent = node;
            _rows.Add(leaf.Start, leaf.Count, best.Feature, best.Bin, best.DefaultLeft);
        }

        _rows.Run(_data);
        _histograms.Clear();
        var leavesAfter = _leafCount + batch;
        if (_leaves.Length < leavesAfter)
        {
            Array.Resize(ref _leaves, Math.Max(leavesAfter, 2 * _leaves.Length));
            Array.Resize(ref _batch, _leaves.Length);
        }
        for (var k = 0; k < batch; k++)
        {
            var parent = _leaves[_batch[k]];
            var best = parent.Best;
            var leftCount = _rows.LeftCount(k);
            var left = new Leaf
            {
                Start = parent.Start, Count = leftCount, G = best.LeftG, HessianAndCount = best.LeftHessianAndCount,
                Depth = parent.Depth + 1, Parent = parent.Parent, IsLeft = true, Best = SplitCandidate.None,
            };
            var right = new Leaf
            {
                Start = parent.Start + leftCount, Count = parent.Count - leftCount, G = parent.G - best.LeftG,
                HessianAndCount = parent.HessianAndCount - best.LeftHessianAndCount, Depth = parent.Depth + 1, Parent = parent.Parent,
                IsLeft = false, Best = SplitCandidate.None,
            };
            var leftSmaller = left.Count <= right.Count;
            ref var small = ref leftSmaller ? ref left : ref right;
            ref var large = ref leftSmaller ? ref right : ref left;
            var needSmall = CanSplit(small, leavesAfter);
            var needLarge = CanSplit(large, leavesAfter);
            var parentHist = parent.Hist!;
            if (needSmall || needLarge)
            {
                // Build the smaller child; the larger is the parent minus the smaller, computed in the parent's buffer.
                var smallHist = Rent();
                _histograms.QueueBuild(small.Start, small.Count, smallHist);
                if (needLarge)
                {
                    _histograms.QueueSubtract(parentHist, smallHist);
                    large.Hist = parentHist;
                }
                else
                {
                    Return(parentHist);
                }

                if (needSmall)
                {
                    small.Hist = smallHist;
                }
                else
                {
                    _histograms.ReturnAfterRun(smallHist);
                }
            }
            else
            {
                Return(parentHist);
            }

            _leaves[_batch[k]] = left;
            _leaves[_leafCount + k] = right;
        }

        var first = _leafCount;
        _leafCount = leavesAfter;
        _histograms.Run(_gradients);
        _searchCount = 0;
        for (var k = 0; k < batch; k++)
        {
            QueueSearch(_batch[k], featureUsed);
            QueueSearch(first + k, featureUsed);
        }

        RunSearches();
    }

    private void Search(int leaf, int count, bool[] featureUsed)
    {
        _searchCount = 0;
        for (var i = leaf; i < leaf + count; i++)
        {
            QueueSearch(i, featureUsed);
        }

        RunSearches();
    }

    private void QueueSearch(int leaf, bool[] featureUsed)
    {
        if (_leaves[leaf].Hist is null)
        {
            return;
        }

        if (_searches.Length < _searchCount + _features)
        {
            Array.Resize(ref _searches, Math.Max(_searches.Length * 2, _searchCount + _features));
            Array.Resize(ref _candidates, _searches.Length);
        }

        for (var f = 0; f < _features; f++)
        {
            if (featureUsed[f])
            {
                _searches[_searchCount++] = (leaf, f);
            }
        }
    }

    private void RunSearches()
    {
        if (_options.Threads == 1 || (long)_searchCount * _stride < HistogramJobs.ParallelWork / 8)
        {
            for (var i = 0; i < _searchCount; i++)
            {
                RunSearch(i);
            }
        }
        else
        {
            Parallel.For(0, _searchCount, _parallel, _searchTask);
        }

        // Searches are queued leaf by leaf in feature order: keep each leaf's best, ties to the lower feature.
        for (var i = 0; i < _searchCount;)
        {
            var leaf = _searches[i].Leaf;
            var best = SplitCandidate.None;
            for (; i < _searchCount && _searches[i].Leaf == leaf; i++)
            {
                if (_candidates[i].IsBetterThan(best))
                {
                    best = _candidates[i];
                }
            }

            _leaves[leaf].Best = best;
            if (!Splittable(leaf))
            {
                Return(_leaves[leaf].Hist!);
                _leaves[leaf].Hist = null;
            }
        }
    }

    private void RunSearch(int i)
    {
        var (leaf, feature) = _searches[i];
        ref readonly var state = ref _leaves[leaf];
        var bins = state.Hist.AsSpan(feature * _stride, _binning[feature].BinCount);
        _candidates[i] = SplitFinder.BestForFeature(bins, feature, state.G, state.HessianAndCount, _gradients, _options);
    }

    private Vector128<long>[] Rent() => _histograms.Rent();

    private Vector128<long>[]? Return(Vector128<long>[] hist) => _histograms.Return(hist);

    /// <summary>A leaf being grown; <see cref="Parent"/> is the internal node above it (-1 for the root).</summary>
    private struct Leaf
    {
        public int Start;
        public int Count;
        public long G;
        public long HessianAndCount;
        public int Depth;
        public int Parent;
        public bool IsLeft;
        public Vector128<long>[]? Hist;
        public SplitCandidate Best;
    }
}
