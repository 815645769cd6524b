using Predictor.Simulation.Workflows;

namespace Predictor.Simulation.Tests.Workflows;

public sealed class SimulateWorkflowTests
{
    [Theory]
    [InlineData("5m", 300)]
    [InlineData("30s", 30)]
    [InlineData("1.5h", 5400)]
    [InlineData("2d", 172800)]
    [InlineData("90", 90)]
    public void TryParseDuration_Valid_Seconds(string text, double seconds)
    {
        Assert.True(SimulateWorkflow.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("-5m")]
    [InlineData("5w")]
    [InlineData("five minutes")]
    public void TryParseDuration_Invalid_False(string text) => Assert.False(SimulateWorkflow.TryParseDuration(text, out _));

    [Fact]
    public void Options_BadIntervalAndDays_NamesEachFlagAndKeepsCheckingTheRest()
    {
        var errors = new List<string>();

        var options = SimulateWorkflow.Options(new SimulationOptions { Hosts = 0 }, "5x", -1, errors);

        Assert.Equal(
            [
                "--interval: '5x' is not a duration; expected a number with a unit s, m, h or d, e.g. 5m.",
                "--days must be between 0 and 3660, got -1.",
                "--hosts must be between 1 and 1000000, got 0.",
            ],
            errors);
        Assert.Equal(TimeSpan.Zero, options.Duration);
        Assert.Equal(new SimulationOptions().TelemetryInterval, options.TelemetryInterval);
    }
}
