using Predictor.Cli;

namespace Predictor.Tests.Cli;

/// <summary>Runs the command line as Program does, capturing the process-wide console (use in <see cref="ConsoleCollection"/>).</summary>
internal static class CliConsole
{
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var code = await PredictorCli.InvokeAsync(args);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }
}
