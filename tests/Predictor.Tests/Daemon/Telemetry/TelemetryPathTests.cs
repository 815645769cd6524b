namespace Predictor.Tests.Daemon.Telemetry;

public sealed class TelemetryPathTests
{
    [Fact]
    public async Task Scenario_TelemetryPushedToDaemonEndpoint_FlagsTheSameHostsAsInProcess()
    {
        var span = TimeSpan.FromDays(1);

        var inProcess = await ScenarioRun.InProcessDayAsync();
        var pushed = await ScenarioRun.RunAsync(span, "--Telemetry:Source=Push", "--Push:Tokens:0=scenario-push-token");

        Assert.NotEmpty(inProcess.Failed);
        Assert.NotEmpty(inProcess.Flagged.Intersect(inProcess.Failed));
        Assert.Equal(inProcess.Flagged, pushed.Flagged);
        Assert.Equal(("Simulator", "InProcess", (long?)null), (inProcess.Telemetry.Source, inProcess.Telemetry.Emit, inProcess.Telemetry.Mapped));
        Assert.Equal(("Push", "Push"), (pushed.Telemetry.Source, pushed.Telemetry.Emit));
        Assert.True(pushed.Telemetry.Mapped > 0 && pushed.Telemetry.EmittedLines > 0);
        Assert.Equal((0L, 0L, 0L), (pushed.Telemetry.UnmappedValues, pushed.Telemetry.UnknownHostSamples, pushed.Telemetry.MissingHostTag));
    }

    [Fact]
    public async Task Scenario_SimulatedHostsScrapedAsNodeExporters_FlagsTheSameHostsAsInProcess()
    {
        var span = TimeSpan.FromDays(1);

        var inProcess = await ScenarioRun.InProcessDayAsync();
        var scraped = await ScenarioRun.RunAsync(span, "--Telemetry:Source=Scrape");

        Assert.NotEmpty(inProcess.Flagged.Intersect(inProcess.Failed));
        Assert.Equal(inProcess.Flagged, scraped.Flagged);
        Assert.Equal(("Scrape", "Scrape"), (scraped.Telemetry.Source, scraped.Telemetry.Emit));
        Assert.True(scraped.Telemetry.Mapped > 0 && scraped.Telemetry.EmittedLines > 0);
        Assert.Equal((0L, 0L), (scraped.Telemetry.UnknownHostSamples, scraped.Telemetry.MissingHostTag));
    }
}
