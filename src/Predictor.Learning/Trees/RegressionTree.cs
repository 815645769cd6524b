namespace Predictor.Learning.Trees;

/// <summary>
/// One trained tree. Internal node <c>i</c> sends a row left when its feature value is at most
/// <c>Threshold[i]</c> (equivalently its bin at most <c>ThresholdBin[i]</c>), and a missing value the way
/// <c>DefaultLeft[i]</c> says. A child index <c>c &gt;= 0</c> is an internal node; <c>c &lt; 0</c> is leaf <c>~c</c>.
/// Covers are the training rows that reached the node; TreeSHAP weighs paths by them.
/// </summary>
internal sealed record RegressionTree(
    int[] SplitFeature,
    int[] ThresholdBin,
    float[] Threshold,
    bool[] DefaultLeft,
    int[] Left,
    int[] Right,
    double[] Gain,
    double[] InternalCover,
    double[] LeafValue,
    double[] LeafCover)
{
    public int InternalCount => SplitFeature.Length;

    /// <summary>The root as a child index: 0, or ~0 when the tree is a single leaf.</summary>
    public int Root => InternalCount == 0 ? ~0 : 0;

    public double Predict(ReadOnlySpan<float> row)
    {
        var node = Root;
        while (node >= 0)
        {
            var v = row[SplitFeature[node]];
            var left = float.IsNaN(v) ? DefaultLeft[node] : v <= Threshold[node];
            node = left ? Left[node] : Right[node];
        }

        return LeafValue[~node];
    }

    public int LeafOfBinned(byte[] bins, long rowOffset)
    {
        var node = Root;
        while (node >= 0)
        {
            var b = bins[rowOffset + SplitFeature[node]];
            var left = b == 0 ? DefaultLeft[node] : b <= ThresholdBin[node];
            node = left ? Left[node] : Right[node];
        }

        return ~node;
    }

    public int Depth()
    {
        return InternalCount == 0 ? 0 : DepthOf(0);

        int DepthOf(int node) => node < 0 ? 0 : 1 + Math.Max(DepthOf(Left[node]), DepthOf(Right[node]));
    }
}
