using Predictor.Learning.Trees;

namespace Predictor.Learning.Explanations;

/// <summary>
/// Exact path-dependent TreeSHAP (Lundberg, Erion and Lee 2018, algorithm 2): each feature's Shapley value
/// of the raw score, where a feature outside the coalition follows both children weighted by training
/// cover. Contributions plus <see cref="ExpectedValue"/> equal the raw score exactly (up to rounding).
/// </summary>
internal sealed class TreeShap
{
    private readonly GbdtModel _model;

    public TreeShap(GbdtModel model)
    {
        _model = model;
        var expected = model.BaseScore;
        foreach (var tree in model.Trees)
        {
            double total = 0, weighted = 0;
            for (var leaf = 0; leaf < tree.LeafValue.Length; leaf++)
            {
                total += tree.LeafCover[leaf];
                weighted += tree.LeafCover[leaf] * tree.LeafValue[leaf];
            }

            expected += total > 0 ? weighted / total : 0;
        }

        ExpectedValue = expected;
    }

    /// <summary>The bias: the cover-weighted mean raw score of the training rows.</summary>
    public double ExpectedValue { get; }

    public double[] Contributions(ReadOnlySpan<float> row)
    {
        var phi = new double[_model.FeatureNames.Length];
        var x = row.ToArray();
        foreach (var tree in _model.Trees)
        {
            if (tree.InternalCount == 0)
            {
                continue;
            }

            var maxDepth = tree.Depth() + 2;
            var path = new PathElement[maxDepth * (maxDepth + 1) / 2 + maxDepth];
            Recurse(tree, x, phi, 0, path, 0, 0, 1, 1, -1);
        }

        return phi;
    }

    private static double Cover(RegressionTree tree, int node) => node >= 0 ? tree.InternalCover[node] : tree.LeafCover[~node];

    /// <summary>
    /// <paramref name="offset"/> is where this level's copy of the path starts in <paramref name="paths"/>;
    /// each level extends a fresh copy so the caller's path stays intact.
    /// </summary>
    private static void Recurse(
        RegressionTree tree, float[] x, double[] phi, int node, PathElement[] paths, int offset, int length,
        double zeroFraction, double oneFraction, int feature)
    {
        var next = offset + length;
        Array.Copy(paths, offset, paths, next, length);
        var path = paths.AsSpan(next);
        Extend(path, length, zeroFraction, oneFraction, feature);
        length++;
        if (node < 0)
        {
            var value = tree.LeafValue[~node];
            for (var i = 1; i < length; i++)
            {
                var w = UnwoundSum(path, length, i);
                phi[path[i].Feature] += w * (path[i].One - path[i].Zero) * value;
            }

            return;
        }

        var split = tree.SplitFeature[node];
        var v = x[split];
        var hotLeft = float.IsNaN(v) ? tree.DefaultLeft[node] : v <= tree.Threshold[node];
        var hot = hotLeft ? tree.Left[node] : tree.Right[node];
        var cold = hotLeft ? tree.Right[node] : tree.Left[node];
        var cover = tree.InternalCover[node];
        double incomingZero = 1, incomingOne = 1;
        for (var k = 1; k < length; k++)
        {
            if (path[k].Feature == split)
            {
                incomingZero = path[k].Zero;
                incomingOne = path[k].One;
                Unwind(path, length, k);
                length--;
                break;
            }
        }

        Recurse(tree, x, phi, hot, paths, next, length, incomingZero * Cover(tree, hot) / cover, incomingOne, split);
        Recurse(tree, x, phi, cold, paths, next, length, incomingZero * Cover(tree, cold) / cover, 0, split);
    }

    private static void Extend(Span<PathElement> path, int length, double zero, double one, int feature)
    {
        path[length] = new PathElement { Feature = feature, Zero = zero, One = one, Weight = length == 0 ? 1 : 0 };
        for (var i = length - 1; i >= 0; i--)
        {
            path[i + 1].Weight += one * path[i].Weight * (i + 1) / (length + 1);
            path[i].Weight = zero * path[i].Weight * (length - i) / (length + 1);
        }
    }

    private static void Unwind(Span<PathElement> path, int length, int index)
    {
        var last = length - 1;
        var one = path[index].One;
        var zero = path[index].Zero;
        var n = path[last].Weight;
        for (var j = last - 1; j >= 0; j--)
        {
            if (one != 0)
            {
                var t = path[j].Weight;
                path[j].Weight = n * (last + 1) / ((j + 1) * one);
                n = t - (path[j].Weight * zero * (last - j) / (last + 1));
            }
            else
            {
                path[j].Weight = path[j].Weight * (last + 1) / (zero * (last - j));
            }
        }

        for (var j = index; j < last; j++)
        {
            path[j].Feature = path[j + 1].Feature;
            path[j].Zero = path[j + 1].Zero;
            path[j].One = path[j + 1].One;
        }
    }

    /// <summary>The total weight of the path with element <paramref name="index"/> unwound, without changing it.</summary>
    private static double UnwoundSum(Span<PathElement> path, int length, int index)
    {
        var last = length - 1;
        var one = path[index].One;
        var zero = path[index].Zero;
        var n = path[last].Weight;
        double total = 0;
        for (var j = last - 1; j >= 0; j--)
        {
            if (one != 0)
            {
                var t = n * (last + 1) / ((j + 1) * one);
                total += t;
                n = path[j].Weight - (t * zero * (last - j) / (last + 1));
            }
            else
            {
                total += path[j].Weight / zero * (last + 1) / (last - j);
            }
        }

        return total;
    }

    private struct PathElement
    {
        public int Feature;
        public double Zero;
        public double One;
        public double Weight;
    }
}
