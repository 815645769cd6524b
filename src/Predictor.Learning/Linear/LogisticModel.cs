namespace Predictor.Learning.Linear;

/// <summary>
/// Logistic regression on standardized features: raw score = <c>Bias + Σ Weights[j]·(x[j] − Means[j]) / Scales[j]</c>;
/// a missing value contributes 0 (it is imputed with the training mean).
/// </summary>
internal sealed record LogisticModel(string[] FeatureNames, double[] Means, double[] Scales, double[] Weights, double Bias)
{
    public double RawScore(ReadOnlySpan<float> row)
    {
        var score = Bias;
        for (var j = 0; j < Weights.Length; j++)
        {
            score += Weights[j] * Standardize(row[j], j);
        }

        return score;
    }

    /// <summary>Each feature's share of the raw score, relative to the mean row (which scores <see cref="Bias"/>).</summary>
    public double[] Contributions(ReadOnlySpan<float> row)
    {
        var result = new double[Weights.Length];
        for (var j = 0; j < Weights.Length; j++)
        {
            result[j] = Weights[j] * Standardize(row[j], j);
        }

        return result;
    }

    public double Standardize(float value, int feature) =>
        float.IsNaN(value) ? 0 : (value - Means[feature]) / Scales[feature];
}
