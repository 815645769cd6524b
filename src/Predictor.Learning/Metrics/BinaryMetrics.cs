namespace Predictor.Learning.Metrics;

/// <summary>Per-row metrics of probabilities against 0/1 labels.</summary>
internal static class BinaryMetrics
{
    /// <summary>Probabilities are clipped to [1e-15, 1 - 1e-15] for the log loss.</summary>
    public const double LogLossClip = 1e-15;

    /// <summary>ROC AUC by the rank-sum statistic; tied scores count one half. NaN without both classes.</summary>
    public static double RocAuc(ReadOnlySpan<double> scores, ReadOnlySpan<float> labels)
    {
        var order = SortedOrder(scores);
        double positives = 0, negatives = 0, rankSum = 0;
        var i = 0;
        while (i < order.Length)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }

            var midRank = ((i + j) / 2.0) + 1;
            for (var k = i; k <= j; k++)
            {
                if (labels[order[k]] > 0.5f)
                {
                    positives++;
                    rankSum += midRank;
                }
                else
                {
                    negatives++;
                }
            }

            i = j + 1;
        }

        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        return (rankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }

    /// <summary>
    /// Area under the precision-recall curve as average precision: the sum over distinct score thresholds
    /// (highest first) of precision × the recall gained at that threshold.
    /// </summary>
    public static double PrAuc(ReadOnlySpan<double> scores, ReadOnlySpan<float> labels)
    {
        var order = SortedOrder(scores);
        double positives = 0;
        foreach (var y in labels)
        {
            positives += y > 0.5f ? 1 : 0;
        }

        if (positives == 0)
        {
            return double.NaN;
        }

        double tp = 0, fp = 0, ap = 0, lastRecall = 0;
        var i = order.Length - 1;
        while (i >= 0)
        {
            var j = i;
            while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]])
            {
                j--;
            }

            for (var k = j; k <= i; k++)
            {
                if (labels[order[k]] > 0.5f)
                {
                    tp++;
                }
                else
                {
                    fp++;
                }
            }

            var recall = tp / positives;
            ap += (recall - lastRecall) * (tp / (tp + fp));
            lastRecall = recall;
            i = j - 1;
        }

        return ap;
    }

    public static double LogLoss(ReadOnlySpan<double> probabilities, ReadOnlySpan<float> labels)
    {
        double sum = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var p = Math.Clamp(probabilities[i], LogLossClip, 1 - LogLossClip);
            sum -= labels[i] > 0.5f ? Math.Log(p) : Math.Log(1 - p);
        }

        return sum / labels.Length;
    }

    public static double Brier(ReadOnlySpan<double> probabilities, ReadOnlySpan<float> labels)
    {
        double sum = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var d = probabilities[i] - labels[i];
            sum += d * d;
        }

        return sum / labels.Length;
    }

    /// <summary>Precision, recall and F1 when rows with probability at least <paramref name="threshold"/> are flagged.</summary>
    public static (double Precision, double Recall, double F1) AtThreshold(
        ReadOnlySpan<double> probabilities, ReadOnlySpan<float> labels, double threshold)
    {
        double tp = 0, fp = 0, fn = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var flagged = probabilities[i] >= threshold;
            var positive = labels[i] > 0.5f;
            tp += flagged && positive ? 1 : 0;
            fp += flagged && !positive ? 1 : 0;
            fn += !flagged && positive ? 1 : 0;
        }

        var precision = tp + fp == 0 ? 0 : tp / (tp + fp);
        var recall = tp + fn == 0 ? 0 : tp / (tp + fn);
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return (precision, recall, f1);
    }

    private static int[] SortedOrder(ReadOnlySpan<double> scores)
    {
        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var keys = scores.ToArray();
        Array.Sort(keys, order);
        return order;
    }
}
