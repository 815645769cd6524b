using Predictor.Daemon.Telemetry;
using Predictor.Telemetry.Push;
using Predictor.Telemetry.Scrape;

namespace Predictor.Tests.Daemon.Telemetry;

public sealed class TelemetryConfigurationTests
{
    [Theory]
    [InlineData(TelemetrySourceKind.Simulator, SimulationEmitKind.Auto)]
    [InlineData(TelemetrySourceKind.Simulator, SimulationEmitKind.InProcess)]
    [InlineData(TelemetrySourceKind.Push, SimulationEmitKind.Auto)]
    [InlineData(TelemetrySourceKind.Push, SimulationEmitKind.None)]
    [InlineData(TelemetrySourceKind.Pull, SimulationEmitKind.Auto)]
    [InlineData(TelemetrySourceKind.Pull, SimulationEmitKind.None)]
    [InlineData(TelemetrySourceKind.Scrape, SimulationEmitKind.Auto)]
    [InlineData(TelemetrySourceKind.Scrape, SimulationEmitKind.Scrape)]
    public void Check_ConsistentSourceAndEmit_NoErrors(TelemetrySourceKind source, SimulationEmitKind emit)
    {
        var errors = TelemetryConfigurationCheck.Check(new TelemetrySettings { Source = source }, new SimulationEmitSettings { Emit = emit }, new PushOptions(), new ScrapeOptions());

        Assert.Empty(errors);
    }

    [Fact]
    public void Check_PushEmitToExternalUrlWithPull_NoErrors()
    {
        var emit = new SimulationEmitSettings { Emit = SimulationEmitKind.Push, EmitUrl = new Uri("http://127.0.0.1:8086/") };

        var errors = TelemetryConfigurationCheck.Check(new TelemetrySettings { Source = TelemetrySourceKind.Pull }, emit, new PushOptions(), new ScrapeOptions());

        Assert.Empty(errors);
    }

    [Fact]
    public void Check_SimulatorWithInfluxEmit_NamesBothKeys()
    {
        var errors = TelemetryConfigurationCheck.Check(
            new TelemetrySettings(), new SimulationEmitSettings { Emit = SimulationEmitKind.Influx }, new PushOptions(), new ScrapeOptions());

        Assert.Equal(
            ["Simulation:Emit is Influx but Telemetry:Source is Simulator, which reads the simulator in process; set Telemetry:Source to Push or Pull to take the simulator's telemetry over that path."],
            errors);
    }

    [Fact]
    public void Check_ScrapeWithoutTargetsAndForwarding_ReportsBoth()
    {
        var errors = TelemetryConfigurationCheck.Check(
            new TelemetrySettings { Source = TelemetrySourceKind.Scrape }, new SimulationEmitSettings { Emit = SimulationEmitKind.None }, new PushOptions { Forward = true }, new ScrapeOptions());

        Assert.Equal(
            [
                "Telemetry:Source is Scrape but Scrape:Targets is empty and the simulator does not emit; list each host's node_exporter as {\"Host\": \"<host id>\", \"Url\": \"http://<address>:9100/metrics\"}.",
                "Push:Forward is on but Telemetry:Source is Scrape; forwarding applies to points pushed to the daemon (Telemetry:Source=Push).",
            ],
            errors);
    }

    [Fact]
    public void Check_ScrapeEmitWithPull_Rejected()
    {
        var errors = TelemetryConfigurationCheck.Check(
            new TelemetrySettings { Source = TelemetrySourceKind.Pull }, new SimulationEmitSettings { Emit = SimulationEmitKind.Scrape }, new PushOptions(), new ScrapeOptions());

        Assert.Equal(["Simulation:Emit is Scrape but Telemetry:Source is Pull; the simulated node_exporters are read only with Telemetry:Source=Scrape."], errors);
    }

    [Fact]
    public void Check_InProcessEmitWithPushAndInfluxEmitWithPush_Rejected()
    {
        var inProcess = TelemetryConfigurationCheck.Check(
            new TelemetrySettings { Source = TelemetrySourceKind.Push }, new SimulationEmitSettings { Emit = SimulationEmitKind.InProcess }, new PushOptions(), new ScrapeOptions());
        var influx = TelemetryConfigurationCheck.Check(
            new TelemetrySettings { Source = TelemetrySourceKind.Push }, new SimulationEmitSettings { Emit = SimulationEmitKind.Influx }, new PushOptions(), new ScrapeOptions());

        Assert.Equal(["Simulation:Emit is InProcess but Telemetry:Source is Push; in-process emission needs Telemetry:Source=Simulator (use Auto, Push, Influx or None)."], inProcess);
        Assert.Equal(["Simulation:Emit is Influx but Telemetry:Source is Push: the daemon would never read what the simulator writes to InfluxDB; use Telemetry:Source=Pull."], influx);
    }

    [Fact]
    public void ValidateConfiguration_ErrorsAcrossTelemetrySections_AllReportedAtOnce()
    {
        var settings = new RunSettings(TimeSpan.FromHours(1), 3600, null,
        [
            "--Telemetry:Source=Pull", "--Simulation:Emit=Push", "--Push:MaxBodyBytes=10", "--Spool:MaxBytes=5", "--Influx:Database=",
            "--InfluxPull:Interval=00:00:00.5", "--Scrape:Interval=00:00:00", "--SignalMapping:HostTag=", "--Windows:HourlyBuckets=24", "--Pipeline:RiskThreshold=2",
        ], false);
        using var host = DaemonComposition.Build(settings);

        var errors = DaemonComposition.ValidateConfiguration(host.Services);

        string[] expected =
        [
            "Simulation:Emit is Push with no Simulation:EmitUrl, which targets the daemon's own push endpoint, but Telemetry:Source is Pull, so that endpoint is not served; set Simulation:EmitUrl or Telemetry:Source=Push.",
            "Push:MaxBodyBytes is 10; expected at least 1024.",
            "Spool:MaxBytes is 5; expected at least 1 MiB.",
            "Spool:SegmentBytes is 67108864; expected 64 KiB to Spool:MaxBytes.",
            "Influx:Database must not be empty.",
            "InfluxPull:Interval is 00:00:00.5000000; expected at least 1 second.",
            "Scrape:Interval is 00:00:00; expected at least 1 second.",
            "Scrape:Timeout is 00:00:10; expected more than 0 and at most Scrape:Interval.",
            "SignalMapping:HostTag must not be empty.",
            "Windows:HourlyBuckets is 24; expected 25 to 10000 (a day and the hour in progress).",
        ];
        Assert.Equal(11, errors.Count);
        Assert.Contains(errors, m => m.Contains("RiskThreshold", StringComparison.Ordinal));
        Assert.All(expected, e => Assert.Contains(e, errors));
    }
}
