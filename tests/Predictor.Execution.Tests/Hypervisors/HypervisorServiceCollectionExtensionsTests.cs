using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Predictor.Core.Hypervisors;
using Predictor.Execution.Hypervisors;
using Predictor.Execution.Hypervisors.Qmp;

namespace Predictor.Execution.Tests.Hypervisors;

public sealed class HypervisorServiceCollectionExtensionsTests
{
    [Fact]
    public void AddQemuHypervisor_ValidOptions_ResolvesKeyedAdapter()
    {
        using var provider = new ServiceCollection().AddLogging()
            .AddQemuHypervisor(o => o.Instances.Add(new QemuInstanceOptions { Vm = "vm-1", Host = "h1", QmpSocket = "/run/qemu/vm-1.qmp" }))
            .BuildServiceProvider();

        Assert.IsType<QemuHypervisor>(provider.GetRequiredKeyedService<IHypervisor>(HypervisorServiceCollectionExtensions.QemuKey));
    }

    [Fact]
    public void AddQemuHypervisor_InvalidOptions_ResolvingReportsEveryError()
    {
        using var provider = new ServiceCollection().AddLogging()
            .AddQemuHypervisor(o =>
            {
                o.ConnectTimeout = TimeSpan.Zero;
                o.Instances.Add(new QemuInstanceOptions { Vm = "vm-1", Host = "", QmpSocket = "/run/qemu/vm-1.qmp" });
            })
            .BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<QemuHypervisorOptions>>().Value);

        Assert.Equal(
            [
                "Hypervisors:Qemu:ConnectTimeout: out of range (got 00:00:00; expected more than 00:00:00).",
                "Hypervisors:Qemu:Instances:0:Host: empty (got ''; expected the host id).",
            ],
            ex.Failures);
    }

    [Theory]
    [InlineData("running", VmRunState.Running)]
    [InlineData("paused", VmRunState.Paused)]
    [InlineData("postmigrate", VmRunState.PostMigrate)]
    [InlineData("inmigrate", VmRunState.Migrating)]
    [InlineData("finish-migrate", VmRunState.Migrating)]
    [InlineData("io-error", VmRunState.Paused)]
    [InlineData("shutdown", VmRunState.Stopped)]
    [InlineData("internal-error", VmRunState.Stopped)]
    public void MapStatus_QemuRunState_MapsToVmRunState(string status, VmRunState expected)
    {
        Assert.Equal(expected, QemuHypervisor.MapStatus(status));
    }
}
