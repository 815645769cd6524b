using System.CommandLine;
using System.CommandLine.Parsing;

namespace Predictor.Cli;

/// <summary>The <c>predictor</c> command line: one class per verb under Cli/, registered here.</summary>
internal static class PredictorCli
{
    /// <summary>Exit code of a command line naming no known verb.</summary>
    public const int UnknownVerbExitCode = 2;

    /// <summary>
    /// Parses and runs <paramref name="args"/>. A first word that names no verb is reported as such on
    /// <paramref name="error"/> (standard error by default) with exit code 2, with or without --help; left to
    /// System.CommandLine it printed the root help and exited 0 (with --help) or 1.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter? error = null)
    {
        var parse = Build().Parse(args);
        if (UnknownVerb(parse) is { } verb)
        {
            await (error ?? Console.Error).WriteLineAsync($"predictor: unknown verb '{verb}'; run 'predictor --help' to list the verbs").ConfigureAwait(false);
            return UnknownVerbExitCode;
        }

        return await parse.InvokeAsync().ConfigureAwait(false);
    }

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

    /// <summary>The first word when it is neither an option nor a verb (the root takes no arguments); otherwise null.</summary>
    private static string? UnknownVerb(ParseResult parse) =>
        parse.CommandResult.Command is RootCommand
        && parse.Tokens.FirstOrDefault(t => t.Type != TokenType.Directive) is { Type: TokenType.Argument } first
        && !first.Value.StartsWith('-')
        && parse.UnmatchedTokens.Contains(first.Value)
            ? first.Value
            : null;

    private static IEnumerable<Command> Verbs()
    {
        yield return RunCommand.Create();
        yield return SimulateCommand.Create();
        yield return DetectCommand.Create();
        yield return NabCommand.Create();
        yield return IngestCommand.Create();
        var plan = PlanCommand.Create();
        plan.Subcommands.Add(ClientCommands.PlanShow());
        yield return plan;
        yield return TrainCommand.Create();
        yield return ScoreCommand.Create();
        yield return ExplainCommand.Create();
        yield return DatasetCommand.Create();
        yield return OutcomesCommand.Create();
        yield return RetrainCommand.Create();
        yield return EvaluateCommand.Create();
        yield return MitigationExperimentCommand.Create();
        foreach (var client in ClientCommands.Create())
        {
            yield return client;
        }
    }
}
