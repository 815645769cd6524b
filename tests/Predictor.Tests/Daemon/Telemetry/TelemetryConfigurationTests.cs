using Predictor.Daemon.Composition;
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
        var errors = CrossSectionValidator.TelemetryErrors(new TelemetrySettings { Source = source }, new SimulationEmitSettings { Emit = emit }, new PushOptions(), new ScrapeOptions());

        Assert.Empty(errors);
    }

    [Fact]
    public void Check_PushEmitToExternalUrlWithPull_NoErrors()
    {
        var emit = new SimulationEmitSettings { Emit = SimulationEmitKind.Push, EmitUrl = new Uri("http://127.0.0.1:8086/") };

        var errors = CrossSectionValidator.TelemetryErrors(new TelemetrySettings { Source = TelemetrySourceKind.Pull }, emit, new PushOptions(), new ScrapeOptions());

        Assert.Empty(errors);
    }

    [Fact]
    public void Check_SimulatorWithInfluxEmit_NamesBothKeys()
    {
        var errors = CrossSectionValidator.TelemetryErrors(
            new TelemetrySettings(), new SimulationEmitSettings { Emit = SimulationEmitKind.Influx }, new PushOptions(), new ScrapeOptions());

        Assert.Equal(
            ["Simulation:Emit: Telemetry:Source is Simulator, which reads the simulator in process (got Influx; expected Auto or InProcess, or Telemetry:Source Push or Pull to take the simulator's telemetry over that path)."],
            errors);
    }

    [Fact]
    public void Check_ScrapeWithoutTargetsAndForwarding_ReportsBoth()
    {
        var errors = CrossSectionValidator.TelemetryErrors(
            new TelemetrySettings { Source = TelemetrySourceKind.Scrape }, new SimulationEmitSettings { Emit = SimulationEmitKind.None }, new PushOptions { Forward = true }, new ScrapeOptions());

        Assert.Equal(
            [
                "Scrape:Targets: empty with Telemetry:Source=Scrape, and the simulator does not emit (got nothing; expected each host's node_exporter as {\"Host\": \"<host id>\", \"Url\": \"http://<address>:9100/metrics\"}).",
                "Push:Forward: forwarding applies to points pushed to the daemon, but Telemetry:Source is Scrape (got true; expected false, or Telemetry:Source=Push).",
            ],
            errors);
    }

    [Fact]
    public void Check_ScrapeEmitWithPull_Rejected()
    {
        var errors = CrossSectionValidator.TelemetryErrors(
            new TelemetrySettings { Source = TelemetrySourceKind.Pull }, new SimulationEmitSettings { Emit = SimulationEmitKind.Scrape }, new PushOptions(), new ScrapeOptions());

        Assert.Equal(["Simulation:Emit: the simulated node_exporters are read only with Telemetry:Source=Scrape, but it is Pull (got Scrape; expected another emit path, or Telemetry:Source=Scrape)."], errors);
    }

    [Fact]
    public void Check_InProcessEmitWithPushAndInfluxEmitWithPush_Rejected()
    {
        var inProcess = CrossSectionValidator.TelemetryErrors(
            new TelemetrySettings { Source = TelemetrySourceKind.Push }, new SimulationEmitSettings { Emit = SimulationEmitKind.InProcess }, new PushOptions(), new ScrapeOptions());
        var influx = CrossSectionValidator.TelemetryErrors(
            new TelemetrySettings { Source = TelemetrySourceKind.Push }, new SimulationEmitSettings { Emit = SimulationEmitKind.Influx }, new PushOptions(), new ScrapeOptions());

        Assert.Equal(["Simulation:Emit: in-process emission needs Telemetry:Source=Simulator, but it is Push (got InProcess; expected Auto, Push, Influx or None)."], inProcess);
        Assert.Equal(["Simulation:Emit: Telemetry:Source is Push, so the daemon would never read what the simulator writes to InfluxDB (got Influx; expected another emit path, or Telemetry:Source=Pull)."], influx);
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

        Assert.Equal(
            [
                "Pipeline:RiskThreshold: out of range (got 2; expected 0 to 1).",
                "Push:MaxBodyBytes: out of range (got 10; expected at least 1024).",
                "Spool:MaxBytes: out of range (got 5; expected at least 1048576).",
                "Spool:SegmentBytes: out of range (got 67108864; expected 65536 (64 KiB) to Spool:MaxBytes (5)).",
                "Influx:Database: empty (got ''; expected a database name).",
                "InfluxPull:Interval: out of range (got 00:00:00.5000000; expected at least 00:00:01).",
                "Scrape:Interval: out of range (got 00:00:00; expected at least 00:00:01).",
                "Scrape:Timeout: out of range (got 00:00:10; expected more than 00:00:00 and at most Scrape:Interval (00:00:00)).",
                "SignalMapping:HostTag: empty (got ''; expected a tag name).",
                "Windows:HourlyBuckets: out of range (got 24; expected 25 to 10000, a day and the hour in progress).",
                "Simulation:Emit: with no Simulation:EmitUrl it pushes to the daemon's own endpoint, which Telemetry:Source Pull does not serve (got Push; expected Simulation:EmitUrl set, or Telemetry:Source=Push).",
            ],
            errors);
    }
}
