
namespace Predictor.Tests.Daemon;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Validate_InvalidConfiguration_ReportsEveryErrorAtOnce()
    {
        var settings = new RunSettings(TimeSpan.FromHours(1), 3600, null,
            ["--Pipeline:RiskThreshold=2", "--Pipeline:Interval=00:00:00", "--Simulation:Hosts=1", "--Limits:MaxConcurrent=0"], false);
        using var host = DaemonComposition.Build(settings);

        var errors = DaemonComposition.ValidateConfiguration(host.Services);

        Assert.Equal(
            [
                "Pipeline:Interval: out of range (got 00:00:00; expected 00:00:01 to 1.00:00:00).",
                "Pipeline:RiskThreshold: out of range (got 2; expected 0 to 1).",
                "Limits:MaxConcurrent: out of range (got 0; expected at least 1).",
                "Simulation:Hosts: out of range (got 1; expected 2 to 1000000).",
            ],
            errors);
    }

    [Fact]
    public void Validate_UpdateCommandAndDetectorOptions_AreCheckedWithTheRest()
    {
        var settings = new RunSettings(TimeSpan.FromHours(1), 3600, null,
            ["--Detectors:MinInterval=-00:00:01", "--Updates:Command=/nonexistent/update", "--Updates:Timeout=00:00:00"], false);
        using var host = DaemonComposition.Build(settings);

        var errors = DaemonComposition.ValidateConfiguration(host.Services);

        Assert.Equal(
            [
                "Detectors:MinInterval: out of range (got -00:00:01; expected at least 00:00:00).",
                "Updates:Timeout: out of range (got 00:00:00; expected more than 00:00:00).",
                "Updates:Command: no such file (got '/nonexistent/update'; expected an existing executable).",
            ],
            errors);
    }
}
