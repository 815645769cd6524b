using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Predictor.Daemon.Composition;

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

    [Fact]
    public void Validate_QemuDatacenterWithBadSections_EachErrorOnceWithTheRest()
    {
        var settings = new RunSettings(null, 1, null,
            ["--Datacenter:Hypervisor=Qemu", "--Hypervisors:Qemu:ConnectTimeout=00:00:00", "--Notifications:Slack:Enabled=true", "--Automation:KillSwitchFile="], false);
        using var host = DaemonComposition.Build(settings);

        var errors = DaemonComposition.ValidateConfiguration(host.Services);

        Assert.Equal(
            [
                "Datacenter:InventoryPath: required with a QEMU or libvirt hypervisor (got nothing; expected the path of inventory.json).",
                "Notifications:Slack:Url: required when the target is enabled (got nothing; expected an absolute http or https URL).",
                "Hypervisors:Qemu:ConnectTimeout: out of range (got 00:00:00; expected more than 00:00:00).",
            ],
            errors);
    }

    [Fact]
    public void Build_EveryRegisteredValidator_ItsOptionsAreInTheAllAtOnceCheck()
    {
        foreach (var hypervisor in new[] { "Simulated", "Qemu", "Libvirt" })
        {
            IServiceCollection? services = null;
            using var host = DaemonComposition.Build(new RunSettings(null, 1, null, [$"--Datacenter:Hypervisor={hypervisor}"], false), configureServices: s => services = s);

            var validated = host.Services.GetRequiredService<ValidatedOptions>().Types;
            var withValidators = services!.Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IValidateOptions<>))
                .Select(d => d.ServiceType.GetGenericArguments()[0]).Distinct().ToList();
            Assert.NotEmpty(withValidators);
            Assert.All(withValidators, type => Assert.Contains(type, validated));
            Assert.Equal(validated.Count, validated.Distinct().Count());
        }
    }
}
