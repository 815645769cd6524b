using System.CommandLine;
using Predictor.Learning.Workflows;

namespace Predictor.Cli;

/// <summary><c>predictor explain</c>: per-row feature contributions (TreeSHAP for trees) as CSV on stdout.</summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model file written by 'predictor train'", Required = true };
        var data = new Option<string>("--data") { Description = "CSV with the model's feature columns", Required = true };
        var top = new Option<int>("--top") { Description = "Features per row, largest absolute contribution first", DefaultValueFactory = _ => 5 };
        var command = new Command("explain",
            "Explain each row's score: line,[group,]probability,raw_score,bias,rank,feature,value,contribution " +
            "(contributions of all features plus bias equal raw_score)")
        {
            model, data, top,
        };
        command.SetAction(parseResult => LearningCommandRunner.Run(() =>
        {
            ExplainWorkflow.Run(parseResult.GetValue(model)!, parseResult.GetValue(data)!, parseResult.GetValue(top), Console.Out);
            return 0;
        }));
        return command;
    }
}
