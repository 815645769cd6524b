using Microsoft.Extensions.Options;
using Predictor.Core.Plans;
using Predictor.Daemon.Automation;
using Predictor.Daemon.Composition;
using Predictor.Daemon.Datacenter;
using Predictor.Daemon.Telemetry;
using Predictor.Execution.Executor;
using Predictor.Execution.Updates;
using Predictor.Learning.Rules;
using Predictor.Learning.TimeSeries;
using Predictor.Learning.TimeSeries.Streaming;
using Predictor.Simulation.Scenarios;
using Predictor.Telemetry.Influx;
using Predictor.Telemetry.Mapping;
using Predictor.Telemetry.Push;
using Predictor.Telemetry.Scrape;
using Predictor.Telemetry.Spool;
using Predictor.Telemetry.Windows;

namespace Predictor.Daemon.Tests.Composition;

/// <summary>Each section's start-up validator: its bounds and its own rules, in the one message form.</summary>
public sealed class OptionsValidatorsTests
{
    [Fact]
    public void Validate_Defaults_EveryValidatorSucceeds()
    {
        Assert.Empty(Failures(new PipelineOptionsValidator(), new PipelineOptions()));
        Assert.Empty(Failures(new RiskOptionsValidator(), new RiskOptions()));
        Assert.Empty(Failures(new RuleAssessorOptionsValidator(), new RuleAssessorOptions()));
        Assert.Empty(Failures(new ExecutorOptionsValidator(), new ExecutorOptions()));
        Assert.Empty(Failures(new PlanLimitsValidator(), new PlanLimits()));
        Assert.Empty(Failures(new PlanningOptionsValidator(), new PlanningOptions()));
        Assert.Empty(Failures(new HostSignalDetectorOptionsValidator(), new HostSignalDetectorOptions()));
        Assert.Empty(Failures(new HostUpdateCommandOptionsValidator(), new HostUpdateCommandOptions()));
        Assert.Empty(Failures(new AutomationOptionsValidator(), new AutomationOptions()));
        Assert.Empty(Failures(new BlastRadiusOptionsValidator(), new BlastRadiusOptions()));
        Assert.Empty(Failures(new DatacenterOptionsValidator(), new DatacenterOptions()));
        Assert.Empty(Failures(new TelemetrySettingsValidator(), new TelemetrySettings()));
        Assert.Empty(Failures(new SimulationEmitSettingsValidator(), new SimulationEmitSettings()));
        Assert.Empty(Failures(new PushOptionsValidator(), new PushOptions()));
        Assert.Empty(Failures(new SpoolOptionsValidator(), new SpoolOptions()));
        Assert.Empty(Failures(new InfluxOptionsValidator(), new InfluxOptions()));
        Assert.Empty(Failures(new InfluxPullOptionsValidator(), new InfluxPullOptions()));
        Assert.Empty(Failures(new ScrapeOptionsValidator(), new ScrapeOptions()));
        Assert.Empty(Failures(new SignalMappingOptionsValidator(), new SignalMappingOptions()));
        Assert.Empty(Failures(new HostWindowOptionsValidator(), new HostWindowOptions()));
        Assert.Empty(Failures(new SimulationSettingsValidator(), new SimulationSettings()));
    }

    [Fact]
    public void PlanLimits_ZeroLimitsAndUndercommit_ReportsEach() =>
        Assert.Equal(
            [
                "Limits:MaxInboundPerHost: out of range (got 0; expected at least 1).",
                "Limits:MaxConcurrent: out of range (got 0; expected at least 1).",
                "Limits:CpuOvercommit: out of range (got 0.5; expected at least 1).",
            ],
            Failures(new PlanLimitsValidator(), new PlanLimits { MaxConcurrent = 0, MaxInboundPerHost = 0, CpuOvercommit = 0.5 }));

    [Fact]
    public void PlanningOptions_NoDowntimeAndAllHeadroom_ReportsBoth() =>
        Assert.Equal(
            [
                "Planning:MaxDowntime: out of range (got 00:00:00; expected more than 00:00:00).",
                "Planning:HeadroomFraction: out of range (got 1; expected at least 0 and less than 1).",
            ],
            Failures(new PlanningOptionsValidator(), new PlanningOptions { MaxDowntime = TimeSpan.Zero, HeadroomFraction = 1 }));

    [Fact]
    public void ExecutorOptions_NoJournalAndTooManyRetries_ReportsBoth() =>
        Assert.Equal(
            [
                "Executor:JournalPath: empty (got ''; expected a SQLite file, or ':memory:').",
                "Executor:StepRetries: out of range (got 11; expected 0 to 10).",
            ],
            Failures(new ExecutorOptionsValidator(), new ExecutorOptions { JournalPath = "", StepRetries = 11 }));

    [Fact]
    public void AutomationAndBlastRadius_OutOfRange_NameTheirSections()
    {
        Assert.Equal(
            ["Automation:KillSwitchPollInterval: out of range (got 00:00:00; expected 00:00:00.0100000 to 00:10:00)."],
            Failures(new AutomationOptionsValidator(), new AutomationOptions { KillSwitchPollInterval = TimeSpan.Zero }));
        Assert.Equal(
            [
                "Pipeline:BlastRadiusMaxShare: out of range (got 1.5; expected 0 to 1).",
                "Pipeline:BlastRadiusMinHosts: out of range (got 0; expected at least 1).",
            ],
            Failures(new BlastRadiusOptionsValidator(), new BlastRadiusOptions { BlastRadiusMaxShare = 1.5, BlastRadiusMinHosts = 0 }));
    }

    [Fact]
    public void RiskAndRules_OutOfRange_ReportsEach()
    {
        Assert.Equal(["Risk:ModelRiskThreshold: out of range (got -0.1; expected 0 to 1)."], Failures(new RiskOptionsValidator(), new RiskOptions { ModelRiskThreshold = -0.1 }));
        Assert.Equal(["Rules:MaxCpuTemperatureC: out of range (got 200; expected 0 to 150)."], Failures(new RuleAssessorOptionsValidator(), new RuleAssessorOptions { MaxCpuTemperatureC = 200 }));
    }

    [Fact]
    public void HostSignalDetectorOptions_UnknownMartingale_IsItsOwnRule() =>
        Assert.Equal(
            ["Detectors:Martingale: unknown martingale (got 7; expected None, Power, Mixture)."],
            Failures(new HostSignalDetectorOptionsValidator(), new HostSignalDetectorOptions { Martingale = (MartingaleType)7 }));

    [Fact]
    public void DatacenterOptions_IncompleteUpdateAndNoInterval_ReportsEach() =>
        Assert.Equal(
            [
                "Datacenter:VerifyInterval: out of range (got 00:00:00; expected more than 00:00:00).",
                "Datacenter:Updates:0:Host: empty (got ''; expected a host id).",
                "Datacenter:Updates:0:Kind: unknown kind (got 'firmware'; expected hot-patchable, hypervisor, host-component, reboot).",
            ],
            Failures(new DatacenterOptionsValidator(), new DatacenterOptions { VerifyInterval = TimeSpan.Zero, Updates = [new() { Host = "", UpdateId = "fw-1", Kind = "firmware" }] }));

    [Fact]
    public void TelemetrySettingsAndEmit_OwnRules_ReportsEach()
    {
        Assert.Equal(
            ["Telemetry:Source: unknown source (got 9; expected Simulator, Push, Pull or Scrape)."],
            Failures(new TelemetrySettingsValidator(), new TelemetrySettings { Source = (TelemetrySourceKind)9 }));
        Assert.Equal(
            [
                "Simulation:EmitBatchBytes: out of range (got 10; expected at least 1024).",
                "Simulation:EmitUrl: not an http address (got 'ftp://x/'; expected an absolute http or https address).",
            ],
            Failures(new SimulationEmitSettingsValidator(), new SimulationEmitSettings { EmitUrl = new Uri("ftp://x/"), EmitBatchBytes = 10 }));
    }

    [Fact]
    public void PushSpoolInfluxAndPull_OwnRules_ReportsEach()
    {
        Assert.Equal(["Push:Tokens:0: too short (got 5 characters; expected at least 8)."], Failures(new PushOptionsValidator(), new PushOptions { Tokens = ["short"] }));
        Assert.Equal(
            ["Spool:SegmentBytes: out of range (got 4194304; expected 65536 (64 KiB) to Spool:MaxBytes (2097152))."],
            Failures(new SpoolOptionsValidator(), new SpoolOptions { MaxBytes = 2 << 20, SegmentBytes = 4 << 20 }));
        Assert.Equal(
            ["Influx:BaseAddress: not an http address (got 'ftp://influx/'; expected an absolute http or https address)."],
            Failures(new InfluxOptionsValidator(), new InfluxOptions { BaseAddress = new Uri("ftp://influx/") }));
        Assert.Equal(["InfluxPull:Measurements:0: empty (got ' '; expected a measurement name)."], Failures(new InfluxPullOptionsValidator(), new InfluxPullOptions { Measurements = [" "] }));
    }

    [Fact]
    public void ScrapeOptions_TimeoutBeyondIntervalAndBadTarget_ReportsEach() =>
        Assert.Equal(
            [
                "Scrape:Targets:0:Host: empty (got ''; expected a host id).",
                "Scrape:Targets:0:Url: not an http address (got 'ftp://h/'; expected an absolute http or https address).",
                "Scrape:Timeout: out of range (got 00:01:00; expected more than 00:00:00 and at most Scrape:Interval (00:00:30)).",
            ],
            Failures(new ScrapeOptionsValidator(), new ScrapeOptions
            {
                Interval = TimeSpan.FromSeconds(30),
                Timeout = TimeSpan.FromMinutes(1),
                Targets = [new() { Host = "", Url = new Uri("ftp://h/") }],
            }));

    [Fact]
    public void SignalMappingOptions_IncompleteRule_ReportsEach() =>
        Assert.Equal(
            [
                "SignalMapping:Rules:0:Field: empty (got ''; expected a field or metric name).",
                "SignalMapping:Rules:0:Scale: out of range (got 0; expected a finite, non-zero number).",
            ],
            Failures(new SignalMappingOptionsValidator(), new SignalMappingOptions { Rules = [new() { Field = "", Signal = "s", Scale = 0 }] }));

    [Fact]
    public void SimulationSettings_OneHost_OutOfRange() =>
        Assert.Equal(["Simulation:Hosts: out of range (got 1; expected 2 to 1000000)."], Failures(new SimulationSettingsValidator(), new SimulationSettings { Hosts = 1 }));

    [Fact]
    public void CrossSection_RealDatacenterUpdatesWithoutCommand_NamesUpdatesCommand()
    {
        var datacenter = new DatacenterOptions { Hypervisor = DatacenterHypervisor.Qemu, Updates = [new() { Host = "h1", UpdateId = "fw-1", Kind = "reboot" }] };

        Assert.Equal(
            ["Updates:Command: required when Datacenter:UpdatesPath or Datacenter:Updates lists updates for a real datacenter (got nothing; expected the command that applies them)."],
            CrossSectionValidator.UpdateErrors(datacenter, new HostUpdateCommandOptions()));
        Assert.Empty(CrossSectionValidator.UpdateErrors(datacenter, new HostUpdateCommandOptions { Command = "/bin/true" }));
        Assert.Empty(CrossSectionValidator.UpdateErrors(new DatacenterOptions { Updates = datacenter.Updates }, new HostUpdateCommandOptions()));
    }

    private static List<string> Failures<T>(IValidateOptions<T> validator, T options)
        where T : class => [.. validator.Validate(null, options).Failures ?? []];
}
