using Predictor.Learning.Data;

namespace Predictor.Learning.Tests;

/// <summary>Seeded synthetic data sets with a known structure.</summary>
internal static class Synthetic
{
    /// <summary>
    /// x0..x{features-1} uniform in [0,1); log-odds = 4·x0 − 3·x1 + 2·(x2 &gt; 0.5) − 2, other features noise;
    /// a fraction of x3 is missing.
    /// </summary>
    public static DataSet Classification(int rows, int features, int seed)
    {
        var random = new Random(seed);
        var columns = new float[features][];
        for (var f = 0; f < features; f++)
        {
            columns[f] = new float[rows];
        }

        var labels = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            for (var f = 0; f < features; f++)
            {
                columns[f][i] = (float)random.NextDouble();
            }

            var z = (4 * columns[0][i]) - (3 * columns[1][i]) + (columns[2][i] > 0.5f ? 2 : 0) - 2;
            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : 0;
            if (features > 3 && random.NextDouble() < 0.1)
            {
                columns[3][i] = float.NaN;
            }
        }

        return new DataSet(Enumerable.Range(0, features).Select(f => $"x{f}").ToArray(), columns, labels);
    }

    public static string TempFile(string content, string extension = ".csv")
    {
        var path = Path.Combine(Path.GetTempPath(), $"predictor-learning-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(path, content);
        return path;
    }

    public static string ToCsv(DataSet data, string label = "label")
    {
        var writer = new StringWriter();
        writer.WriteLine(string.Join(',', data.FeatureNames.Append(label)));
        for (var i = 0; i < data.Rows; i++)
        {
            var cells = data.Columns.Select(c => float.IsNaN(c[i]) ? "" : c[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteLine(string.Join(',', cells.Append(data.Labels![i].ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        return writer.ToString();
    }
}
