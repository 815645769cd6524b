using Predictor.Learning.Metrics;
using Predictor.Learning.Models;

namespace Predictor.Learning.Explanations;

/// <summary>
/// Global importance of a feature as the drop in ROC AUC when its column is shuffled (seeded) in the
/// evaluation data, all other columns kept.
/// </summary>
internal static class PermutationImportance
{
    public static double[] Compute(TrainedModel model, float[][] columns, float[] labels, int seed, int threads)
    {
        var baseline = BinaryMetrics.RocAuc(model.RawScores(columns, threads), labels);
        var drops = new double[columns.Length];
        var random = new Random(seed);
        var shuffled = (float[][])columns.Clone();
        for (var f = 0; f < columns.Length; f++)
        {
            var copy = (float[])columns[f].Clone();
            random.Shuffle(copy);
            shuffled[f] = copy;
            drops[f] = baseline - BinaryMetrics.RocAuc(model.RawScores(shuffled, threads), labels);
            shuffled[f] = columns[f];
        }

        return drops;
    }
}
