using Predictor.Learning.Data;

namespace Predictor.Benchmarks.Learning;

/// <summary>
/// The label model of compare/synthetic.py (32 uniform features rounded to 5 decimals, 3 % of x5 missing,
/// logistic label with interactions, thresholds and smooth terms) drawn with .NET's seeded Random.
/// </summary>
internal static class SyntheticClassification
{
    public const int Features = 32;

    public static DataSet Generate(int rows, int seed)
    {
        var random = new Random(seed);
        var columns = new float[Features][];
        for (var f = 0; f < Features; f++)
        {
            columns[f] = new float[rows];
        }

        var labels = new float[rows];
        var x = new double[Features];
        for (var i = 0; i < rows; i++)
        {
            for (var f = 0; f < Features; f++)
            {
                x[f] = Math.Round(random.NextDouble(), 5);
                columns[f][i] = (float)x[f];
            }

            double sum8 = 0;
            for (var f = 8; f < 16; f++)
            {
                sum8 += x[f];
            }

            var z = (3.0 * x[0] * x[1]) - (2.0 * (x[2] > 0.7 ? 1 : 0)) + (2.5 * Math.Sin(6.0 * x[3])) + (1.5 * (x[4] - 0.5) * (x[4] - 0.5) * 8)
                    + x[5] - (1.2 * x[6] * (x[7] > 0.5 ? 1 : 0)) + (0.8 * sum8 / 4) - 4.0;
            labels[i] = random.NextDouble() < 1.0 / (1.0 + Math.Exp(-z)) ? 1 : 0;
            if (random.NextDouble() < 0.03)
            {
                columns[5][i] = float.NaN;
            }
        }

        return new DataSet(Enumerable.Range(0, Features).Select(f => $"x{f}").ToArray(), columns, labels);
    }
}
