namespace Predictor.Learning.Calibration;

/// <summary>
/// Isotonic regression by pool-adjacent-violators: a non-decreasing step function of the raw score.
/// Block <c>i</c> covers scores from <c>Thresholds[i]</c> up to the next threshold; scores below the first
/// block take its value.
/// </summary>
internal sealed record IsotonicCalibrator(double[] Thresholds, double[] Values) : ICalibrator
{
    public string Kind => "isotonic";

    public double Probability(double rawScore)
    {
        var index = Array.BinarySearch(Thresholds, rawScore);
        if (index < 0)
        {
            index = Math.Max(0, ~index - 1);
        }

        return Values[index];
    }

    public static IsotonicCalibrator Fit(ReadOnlySpan<double> scores, ReadOnlySpan<float> labels)
    {
        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var keys = scores.ToArray();
        Array.Sort(keys, order);
        var starts = new List<double>();
        var sums = new List<double>();
        var weights = new List<double>();
        for (var k = 0; k < order.Length; k++)
        {
            var score = keys[k];
            double y = labels[order[k]];
            if (starts.Count > 0 && starts[^1] == score)
            {
                sums[^1] += y;
                weights[^1] += 1;
            }
            else
            {
                starts.Add(score);
                sums.Add(y);
                weights.Add(1);
            }

            // Pool while the last block's mean is below the previous one's.
            while (sums.Count > 1 && sums[^1] / weights[^1] <= sums[^2] / weights[^2])
            {
                sums[^2] += sums[^1];
                weights[^2] += weights[^1];
                sums.RemoveAt(sums.Count - 1);
                weights.RemoveAt(weights.Count - 1);
                starts.RemoveAt(starts.Count - 1);
            }
        }

        var values = new double[sums.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = sums[i] / weights[i];
        }

        return new IsotonicCalibrator([.. starts], values);
    }
}
