using System.CommandLine;

namespace Predictor.Cli;

/// <summary>The <c>predictor</c> command line: one class per verb under Cli/, registered here.</summary>
internal static class PredictorCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "Predictor predicts which hosts will fail, evacuates their VMs by live migration before they do, " +
            "and gives healthy hosts the least impactful maintenance available.");
        foreach (var verb in Verbs())
        {
            root.Subcommands.Add(verb);
        }

        return root;
    }

    private static IEnumerable<Command> Verbs()
    {
        yield return RunCommand.Create();
        yield return SimulateCommand.Create();
        yield return DetectCommand.Create();
        yield return IngestCommand.Create();
        yield return PlanCommand.Create();
        yield return TrainCommand.Create();
        yield return ScoreCommand.Create();
        yield return ExplainCommand.Create();
        yield return DatasetCommand.Create();
    }
}
