using System.Diagnostics;
using System.Globalization;
using Predictor.Learning.Data;
using Predictor.Learning.Models;

namespace Predictor.Learning.Workflows;

/// <summary>
/// <c>predictor score</c>: one output row per input row, in input order, with the model's group and time
/// columns when the input has them, then <c>probability</c>.
/// </summary>
public static class ScoreWorkflow
{
    /// <summary>Scores <paramref name="dataPath"/> into <paramref name="outPath"/>; returns rows scored and the scoring time.</summary>
    public static (int Rows, TimeSpan Scoring) Run(string modelPath, string dataPath, string outPath, int threads)
    {
        var model = ModelFileReader.Load(modelPath);
        var (data, _) = LoadFor(model, dataPath);
        var clock = Stopwatch.StartNew();
        var probabilities = model.Probabilities(data.Columns, threads);
        var elapsed = clock.Elapsed;
        using var writer = new StreamWriter(outPath);
        var header = new List<string>();
        if (data.Groups is not null)
        {
            header.Add(model.Training.Group!);
        }

        if (data.Times is not null)
        {
            header.Add(model.Training.Time!);
        }

        header.Add("probability");
        writer.WriteLine(string.Join(',', header));
        for (var i = 0; i < data.Rows; i++)
        {
            if (data.Groups is not null)
            {
                writer.Write(Csv(data.Groups[i]));
                writer.Write(',');
            }

            if (data.Times is not null)
            {
                writer.Write(Csv(data.Times[i]));
                writer.Write(',');
            }

            writer.WriteLine(probabilities[i].ToString("R", CultureInfo.InvariantCulture));
        }

        return (data.Rows, elapsed);
    }

    internal static (DataSet Data, CsvTable Table) LoadFor(TrainedModel model, string dataPath)
    {
        var t = model.Training;
        var schema = new DataSchema(t.Label, t.Group, t.Time, t.Excluded);
        var table = CsvTable.Load(dataPath, schema.TextColumns);
        return (DataSetLoader.ForModel(table, model.Features, schema), table);
    }

    internal static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
