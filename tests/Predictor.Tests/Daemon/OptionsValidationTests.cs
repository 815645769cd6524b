
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

        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, m => m.Contains("RiskThreshold", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.Contains("Interval", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.Contains("Hosts", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.Contains("MaxConcurrent", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UpdateCommandAndDetectorOptions_AreCheckedWithTheRest()
    {
        var settings = new RunSettings(TimeSpan.FromHours(1), 3600, null,
            ["--Detectors:MinInterval=-00:00:01", "--Updates:Command=/nonexistent/update", "--Updates:Timeout=00:00:00"], false);
        using var host = DaemonComposition.Build(settings);

        var errors = DaemonComposition.ValidateConfiguration(host.Services);

        Assert.Equal(
            ["Updates:Timeout must be positive (got 00:00:00).", "Updates:Command '/nonexistent/update' does not exist.", "Detectors:MinInterval must not be negative, got -00:00:01"],
            errors);
    }
}
