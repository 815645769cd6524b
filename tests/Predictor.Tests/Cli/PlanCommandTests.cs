using Predictor.Cli;

namespace Predictor.Tests.Cli;

public sealed class PlanCommandTests
{
    [Fact]
    public void Create_ParsesEveryOption()
    {
        var command = PlanCommand.Create();
        var result = command.Parse(["--inventory", "i.json", "--at-risk-fraction", "0.01", "--seed", "3", "--update-all", "--out", "p.json",
            "--max-outbound", "3", "--max-inbound", "4", "--max-concurrent", "10", "--cpu-overcommit", "1.5", "--max-downtime-ms", "300", "--no-cold-moves"]);

        Assert.Empty(result.Errors);
    }
}
