namespace Predictor.Learning.Trees;

/// <summary>A trained forest: raw score = <see cref="BaseScore"/> + the sum of the trees' leaf values (log-odds).</summary>
internal sealed record GbdtModel(string[] FeatureNames, FeatureBinning[] Binning, double BaseScore, IReadOnlyList<RegressionTree> Trees)
{
    public double RawScore(ReadOnlySpan<float> row)
    {
        var score = BaseScore;
        foreach (var tree in Trees)
        {
            score += tree.Predict(row);
        }

        return score;
    }

    /// <summary>Total loss reduction of the splits on each feature (gain importance).</summary>
    public double[] GainImportance()
    {
        var gains = new double[FeatureNames.Length];
        foreach (var tree in Trees)
        {
            for (var i = 0; i < tree.InternalCount; i++)
            {
                gains[tree.SplitFeature[i]] += tree.Gain[i];
            }
        }

        return gains;
    }
}
