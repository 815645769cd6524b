using Predictor.IntegrationTests.Influx;
using Predictor.Tests.Daemon.Telemetry;

namespace Predictor.IntegrationTests.Daemon;

[Collection(InfluxdCollection.Name)]
public sealed class PullFromInfluxdScenarioTests(InfluxdFixture influxd)
{
    [Fact]
    public async Task Scenario_SimulatorWritesToInfluxdDaemonPulls_FlagsTheSameHostsAsInProcess()
    {
        var span = TimeSpan.FromDays(1);

        var inProcess = await ScenarioRun.InProcessDayAsync();
        var pulled = await ScenarioRun.RunAsync(span,
            "--Telemetry:Source=Pull", $"--Influx:BaseAddress={influxd.BaseAddress}", "--Influx:Database=scenario",
            $"--Influx:Username={InfluxdFixture.AdminUser}", $"--Influx:Password={InfluxdFixture.AdminPassword}");

        Assert.NotEmpty(inProcess.Flagged.Intersect(inProcess.Failed));
        Assert.Equal(inProcess.Flagged, pulled.Flagged);
        Assert.Equal(("Pull", "Influx"), (pulled.Telemetry.Source, pulled.Telemetry.Emit));
        Assert.True(pulled.Telemetry.Mapped > 0 && pulled.Telemetry.EmittedLines > 0);
        Assert.Equal((0L, 0L, 0L), (pulled.Telemetry.UnmappedValues, pulled.Telemetry.UnknownHostSamples, pulled.Telemetry.MissingHostTag));
    }
}
