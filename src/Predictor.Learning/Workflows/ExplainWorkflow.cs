using System.Globalization;
using Predictor.Learning.Models;

namespace Predictor.Learning.Workflows;

/// <summary>
/// <c>predictor explain</c>: for each input row its probability, raw score and bias, and the
/// <c>top</c> features by absolute contribution (TreeSHAP for trees; contributions plus bias equal the
/// raw score), one CSV line per row and feature:
/// <c>line,[group,]probability,raw_score,bias,rank,feature,value,contribution</c>.
/// </summary>
public static class ExplainWorkflow
{
    public static int Run(string modelPath, string dataPath, int top, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (top < 1)
        {
            throw new LearningInputException($"--top must be at least 1, got {top}");
        }

        var model = ModelFileReader.Load(modelPath);
        var (data, table) = ScoreWorkflow.LoadFor(model, dataPath);
        var groupColumn = data.Groups is not null ? model.Training.Group + "," : "";
        output.WriteLine($"line,{groupColumn}probability,raw_score,bias,rank,feature,value,contribution");
        var row = new float[data.Columns.Length];
        var order = new int[row.Length];
        for (var i = 0; i < data.Rows; i++)
        {
            for (var f = 0; f < row.Length; f++)
            {
                row[f] = data.Columns[f][i];
                order[f] = f;
            }

            var (contributions, bias) = model.Explain(row);
            var raw = model.RawScore(row);
            var probability = model.Calibrator.Probability(raw);
            Array.Sort(order, (a, b) =>
            {
                var c = Math.Abs(contributions[b]).CompareTo(Math.Abs(contributions[a]));
                return c != 0 ? c : a.CompareTo(b);
            });
            var prefix = string.Create(CultureInfo.InvariantCulture,
                $"{table.LineOf(i)},{(data.Groups is { } g ? ScoreWorkflow.Csv(g[i]) + "," : "")}{probability:R},{raw:R},{bias:R}");
            for (var rank = 0; rank < Math.Min(top, row.Length); rank++)
            {
                var f = order[rank];
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{prefix},{rank + 1},{model.Features[f]},{row[f]:R},{contributions[f]:R}"));
            }
        }

        return data.Rows;
    }
}
