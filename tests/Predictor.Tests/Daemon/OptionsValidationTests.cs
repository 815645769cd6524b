using Predictor.Daemon;

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
}
