using System.CommandLine;
using Predictor.Learning.Workflows;

namespace Predictor.Cli;

/// <summary><c>predictor score</c>: writes the calibrated failure probability of every row of a CSV.</summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model file written by 'predictor train'", Required = true };
        var data = new Option<string>("--data") { Description = "CSV with the model's feature columns", Required = true };
        var output = new Option<string>("--out") { Description = "Output CSV: [group,][time,]probability, one row per input row in order", Required = true };
        var threads = new Option<int>("--threads") { Description = "Threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("score", "Score a CSV with a model: one probability per row") { model, data, output, threads };
        command.SetAction(parseResult => LearningCommandRunner.Run(() =>
        {
            var (rows, scoring) = ScoreWorkflow.Run(parseResult.GetValue(model)!, parseResult.GetValue(data)!, parseResult.GetValue(output)!,
                Math.Max(1, parseResult.GetValue(threads)));
            Console.Error.WriteLine($"scored {rows} rows in {scoring.TotalSeconds:F3} s ({rows / Math.Max(scoring.TotalSeconds, 1e-9):F0} rows/s) into {parseResult.GetValue(output)}");
            return 0;
        }));
        return command;
    }
}
