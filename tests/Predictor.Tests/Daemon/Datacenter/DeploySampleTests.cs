using Microsoft.Extensions.DependencyInjection;
using Predictor.Core.Hypervisors;
using Predictor.Core.Plans;
using Predictor.Daemon.Datacenter;
using Predictor.Core.Inventory;
using Predictor.Core.Telemetry;

namespace Predictor.Tests.Daemon.Datacenter;

/// <summary>The samples in deploy/qemu stay valid: they load, validate and compose a real datacenter.</summary>
public sealed class DeploySampleTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-sample-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("predictor.qemu.json", "QemuHypervisor")]
    [InlineData("predictor.libvirt.json", "LibvirtHypervisor")]
    public void Build_DeploySample_ValidatesAndComposesTheRealDatacenter(string sample, string adapter)
    {
        var deploy = Path.Combine(RepositoryRoot(), "deploy", "qemu");
        using var app = DaemonComposition.Build(new RunSettings(null, 1, Path.Combine(deploy, sample),
        [
            $"--Datacenter:InventoryPath={Path.Combine(deploy, "inventory.sample.json")}",
            $"--Datacenter:UpdatesPath={Path.Combine(deploy, "updates.sample.json")}",
            $"--Executor:JournalPath={Path.Combine(_directory, "journal.db")}",
            $"--Automation:KillSwitchFile={Path.Combine(_directory, "kill-switch")}",
            "--Api:TokenFile=", "--Api:Token=sample-token-0123456789",
            "--Updates:Command=/bin/true", // the site's own update script in production
        ], false));

        Assert.Empty(DaemonComposition.ValidateConfiguration(app.Services));
        var datacenter = Assert.IsType<InventoryDatacenter>(app.Services.GetRequiredService<IDatacenter>());
        Assert.Equal(3, datacenter.Inventory().Hosts.Length);
        Assert.Equal(["vm-0001", "vm-0002"], datacenter.Inventory().Vms.Select(v => v.Id).ToArray());
        Assert.Equal(
            [new HostUpdate("host-02", "kvm-hotfix-2026.11", UpdateKind.HotPatchable), new HostUpdate("host-03", "bmc-fw-4.2", UpdateKind.HostComponent)],
            datacenter.PendingUpdates);
        Assert.Equal(adapter, app.Services.GetRequiredService<IHypervisor>().GetType().Name);
        Assert.Equal(TimeProvider.System, app.Services.GetRequiredService<TimeProvider>());
        // until a telemetry source is configured, the real fleet ingests nothing rather than the simulator's telemetry
        Assert.Equal("NoTelemetryConfigured", app.Services.GetRequiredService<ITelemetrySource>().GetType().Name);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Predictor.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return dir.FullName;
    }
}
