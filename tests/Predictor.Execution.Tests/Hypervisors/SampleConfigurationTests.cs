using Microsoft.Extensions.Configuration;
using Predictor.Execution.Hypervisors.Libvirt;
using Predictor.Execution.Hypervisors.Qmp;

namespace Predictor.Execution.Tests.Hypervisors;

public sealed class SampleConfigurationTests
{
    private static IConfiguration LoadSample()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Predictor.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return new ConfigurationBuilder().AddJsonFile(Path.Combine(dir.FullName, "deploy", "qemu", "predictor.hypervisors.json")).Build();
    }

    [Fact]
    public void DeploySample_QemuSection_BindsAndValidates()
    {
        var options = new QemuHypervisorOptions();
        LoadSample().GetSection(QemuHypervisorOptions.SectionName).Bind(options);

        Assert.True(new QemuHypervisorOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(4, options.Instances.Count);
        Assert.Equal("tcp:10.20.0.2:49152", options.Instances[1].IncomingUri);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.ProgressPollInterval);
    }

    [Fact]
    public void DeploySample_LibvirtSection_BindsAndValidates()
    {
        var options = new LibvirtHypervisorOptions();
        LoadSample().GetSection(LibvirtHypervisorOptions.SectionName).Bind(options);

        Assert.True(new LibvirtHypervisorOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(["host-11", "host-12"], options.Hosts.Select(h => h.Host));
        Assert.Equal(["10.20.1.11", "10.20.1.12"], options.Hosts.Select(h => h.MigrationListenAddress));
    }
}
