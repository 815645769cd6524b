namespace Predictor.Simulation.Tests;

public sealed class SimulationOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoErrors()
    {
        var options = new SimulationOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(200, options.Hosts);
        Assert.Equal(8, options.VmsPerHost);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero), options.Start);
        Assert.Equal(TimeSpan.FromDays(2), options.Duration);
        Assert.Equal(TimeSpan.FromMinutes(5), options.TelemetryInterval);
        Assert.Equal(15, options.FailuresPerHostYear);
        Assert.Equal(0.25, options.NoWarningShare);
        Assert.Equal("dc1", options.Datacenter);
    }

    [Fact]
    public void Validate_EveryFieldBroken_ListsEveryError()
    {
        var options = new SimulationOptions
        {
            Hosts = 0,
            VmsPerHost = -1,
            Duration = TimeSpan.FromHours(-1),
            TelemetryInterval = TimeSpan.FromMilliseconds(10),
            FailuresPerHostYear = double.NaN,
            NoWarningShare = 1.5,
            Datacenter = " ",
            Start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.FromHours(2)),
        };

        var errors = options.Validate();

        Assert.Equal(
        [
            "Hosts must be between 1 and 1000000, got 0.",
            "VmsPerHost must be between 0 and 200, got -1.",
            "Duration must be between 0 and 3660 days, got -01:00:00.",
            "TelemetryInterval must be between 1 second and 1 day, got 00:00:00.0100000.",
            "FailuresPerHostYear must be between 0 and 10000, got NaN.",
            "NoWarningShare must be between 0 and 1, got 1.5.",
            "Datacenter must be a non-empty name.",
            "Start must be in UTC (offset zero), got offset 02:00:00.",
        ], errors);
    }

    [Fact]
    public void Validate_TooManyVms_Rejected()
    {
        var errors = new SimulationOptions { Hosts = 1_000_000, VmsPerHost = 50 }.Validate();

        Assert.Equal(["Hosts × VmsPerHost must be at most 20000000, got 50000000."], errors);
    }

    [Fact]
    public void Validate_FractionalSecondInterval_Rejected()
    {
        var errors = new SimulationOptions { TelemetryInterval = TimeSpan.FromMilliseconds(1500) }.Validate();

        Assert.Equal(["TelemetryInterval must be a whole number of seconds, got 00:00:01.5000000."], errors);
    }

    [Fact]
    public void Create_InvalidOptions_ThrowsListingAllErrors()
    {
        var e = Assert.Throws<ArgumentException>(() => SimulatedFleet.Create(new SimulationOptions { Hosts = -5, NoWarningShare = -0.1 }));

        Assert.Contains("Invalid simulation options (2):", e.Message, StringComparison.Ordinal);
        Assert.Contains("Hosts must be between 1 and 1000000, got -5.", e.Message, StringComparison.Ordinal);
        Assert.Contains("NoWarningShare must be between 0 and 1, got -0.1.", e.Message, StringComparison.Ordinal);
    }
}
