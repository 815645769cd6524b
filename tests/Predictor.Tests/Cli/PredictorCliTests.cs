namespace Predictor.Tests.Cli;

[Collection(ConsoleCollection.Name)]
public sealed class PredictorCliTests
{
    private const string UnknownVerb = "predictor: unknown verb 'nosuch'; run 'predictor --help' to list the verbs\n";

    [Theory]
    [InlineData("nosuch", "--help")]
    [InlineData("nosuch")]
    [InlineData("nosuch", "--hosts", "3")]
    public async Task UnknownVerb_WithOrWithoutHelp_OneLineOnStderrAndExit2(params string[] args)
    {
        var (code, stdout, stderr) = await CliConsole.RunAsync(args);

        Assert.Equal((2, "", UnknownVerb), (code, stdout, stderr));
    }

    [Theory]
    [InlineData("plan", "--help")]
    [InlineData("simulate", "-h")]
    [InlineData("--help")]
    public async Task Help_OfRootOrRealVerb_PrintsUsageAndExit0(params string[] args)
    {
        var (code, stdout, stderr) = await CliConsole.RunAsync(args);

        Assert.Equal((0, ""), (code, stderr));
        Assert.Contains("Usage:", stdout, StringComparison.Ordinal);
    }
}
