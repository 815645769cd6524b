namespace Predictor.Learning.Trees;

/// <summary>The internal nodes of the tree being grown, column by column, as <see cref="RegressionTree"/> takes them.</summary>
internal sealed class NodeLists
{
    public readonly List<int> Feature = [];
    public readonly List<int> Bin = [];
    public readonly List<float> Threshold = [];
    public readonly List<bool> DefaultLeft = [];
    public readonly List<int> Left = [];
    public readonly List<int> Right = [];
    public readonly List<double> Gain = [];
    public readonly List<double> Cover = [];

    public void Clear()
    {
        Feature.Clear();
        Bin.Clear();
        Threshold.Clear();
        DefaultLeft.Clear();
        Left.Clear();
        Right.Clear();
        Gain.Clear();
        Cover.Clear();
    }
}
