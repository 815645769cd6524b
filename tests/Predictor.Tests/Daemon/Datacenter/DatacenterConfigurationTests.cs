
namespace Predictor.Tests.Daemon.Datacenter;

/// <summary>Start-up checks of the real-datacenter mode: every problem reported at once, naming the file or setting.</summary>
public sealed class DatacenterConfigurationTests : IDisposable
{
    private const string Inventory = """
        {"datacenter": "dc1",
         "hosts": [
           {"id": "host-01", "rack": "r1", "faultDomain": 1, "updateDomain": 1, "cpuGeneration": 3, "cores": 16, "memoryGiB": 64, "diskGiB": 500, "nicGbps": 10},
           {"id": "host-02", "rack": "r2", "faultDomain": 2, "updateDomain": 2, "cpuGeneration": 3, "cores": 16, "memoryGiB": 64, "diskGiB": 500, "nicGbps": 10}],
         "vms": [
           {"id": "vm-1", "host": "host-01", "vcpus": 2, "memoryGiB": 4, "diskGiB": 20, "series": "general", "dirtyRateMiBps": 10, "liveMigratable": true, "memoryPreservingCapable": true},
           {"id": "vm-2", "host": "host-02", "vcpus": 2, "memoryGiB": 4, "diskGiB": 20, "series": "general", "dirtyRateMiBps": 10, "liveMigratable": true, "memoryPreservingCapable": true}]}
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-dc-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ValidateConfiguration_QemuWithMissingInstancesAndBadUpdates_ReportsEveryErrorAtOnce()
    {
        var inventory = Write("inventory.json", Inventory);
        var updates = Write("updates.json", """[{"host": "host-01", "updateId": "fw-1", "kind": "firmware"}, {"host": "host-09", "updateId": "k-2", "kind": "reboot", "when": "now"}]""");

        var errors = Validate(
            "--Datacenter:Hypervisor=Qemu", $"--Datacenter:InventoryPath={inventory}", $"--Datacenter:UpdatesPath={updates}",
            "--Datacenter:Updates:0:Host=host-02", "--Datacenter:Updates:0:UpdateId=hp-3", "--Datacenter:Updates:0:Kind=hot-patchable",
            "--Hypervisors:Qemu:Instances:0:Vm=vm-1", "--Hypervisors:Qemu:Instances:0:Host=host-01", "--Hypervisors:Qemu:Instances:0:QmpSocket=/run/vm-1.qmp",
            "--Hypervisors:Qemu:Instances:1:Vm=vm-9", "--Hypervisors:Qemu:Instances:1:Host=host-02", "--Hypervisors:Qemu:Instances:1:QmpSocket=/run/vm-9.qmp",
            "--Hypervisors:Qemu:ConnectTimeout=00:00:00");

        Assert.Equal(
            [
                $"{updates}: [0].kind: unknown kind \"firmware\"; expected one of hot-patchable, hypervisor, host-component, reboot",
                $"{updates}: [1].when: unknown field; expected one of host, updateId, kind",
                $"{updates}: [1].host: not in the inventory (got 'host-09'; expected a host of '{inventory}').",
                $"Hypervisors:Qemu:Instances:1:Vm: not in the inventory (got 'vm-9'; expected a VM of '{inventory}').",
                $"Hypervisors:Qemu:Instances: no QEMU instance of VM 'vm-2' on host 'host-02', where '{inventory}' places it (got nothing; expected an entry {{\"Vm\": \"vm-2\", \"Host\": \"host-02\", \"QmpSocket\": \"/path/to/qmp.sock\"}}).",
                "Updates:Command: required when Datacenter:UpdatesPath or Datacenter:Updates lists updates for a real datacenter (got nothing; expected the command that applies them).",
                "Hypervisors:Qemu:ConnectTimeout: out of range (got 00:00:00; expected more than 00:00:00).",
            ],
            errors);
    }

    [Fact]
    public void ValidateConfiguration_BrokenInventory_NamesTheFileAndField()
    {
        var inventory = Write("inventory.json", Inventory.Replace("\"cores\": 16, \"memoryGiB\": 64, \"diskGiB\": 500, \"nicGbps\": 10},", "\"cores\": \"many\", \"memoryGiB\": 64, \"diskGiB\": 500, \"nicGbps\": 10},", StringComparison.Ordinal));

        var errors = Validate("--Datacenter:Hypervisor=Qemu", $"--Datacenter:InventoryPath={inventory}");

        Assert.Equal([$"{inventory}: hosts[0] (id \"host-01\").cores: expected a whole number, got the string \"many\""], errors);
    }

    [Fact]
    public void ValidateConfiguration_QemuWithoutInventory_SaysInventoryPathIsRequired()
    {
        var errors = Validate("--Datacenter:Hypervisor=Qemu");

        Assert.Equal(["Datacenter:InventoryPath: required with a QEMU or libvirt hypervisor (got nothing; expected the path of inventory.json)."], errors);
    }

    [Fact]
    public void ValidateConfiguration_MissingInventoryFile_NamesThePath()
    {
        var path = Path.Combine(_directory, "nowhere.json");

        var error = Assert.Single(Validate("--Datacenter:Hypervisor=Libvirt", $"--Datacenter:InventoryPath={path}"));

        Assert.StartsWith("Datacenter:InventoryPath: cannot read the file: Could not find file", error, StringComparison.Ordinal);
        Assert.EndsWith($" (got '{path}'; expected a readable inventory.json).", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateConfiguration_LibvirtHostWithVmsNotConfigured_NamesTheHost()
    {
        var inventory = Write("inventory.json", Inventory);

        var errors = Validate(
            "--Datacenter:Hypervisor=Libvirt", $"--Datacenter:InventoryPath={inventory}",
            "--Hypervisors:Libvirt:Hosts:0:Host=host-01", "--Hypervisors:Libvirt:Hosts:0:Uri=qemu+ssh://root@host-01/system");

        Assert.Equal([$"Hypervisors:Libvirt:Hosts: no libvirt connection to host 'host-02' of '{inventory}', but it runs 1 VMs (got nothing; expected an entry {{\"Host\": \"host-02\", \"Uri\": \"qemu+ssh://USER@host-02/system\"}})."], errors);
    }

    [Fact]
    public void ValidateConfiguration_SimulatedWithInventory_SaysTheInventoryNeedsARealHypervisor()
    {
        var errors = Validate("--Datacenter:InventoryPath=inventory.json");

        Assert.Equal(["Datacenter:InventoryPath: an inventory is used only with a real hypervisor; the Simulated hypervisor runs the simulator's own fleet (got 'inventory.json'; expected no setting, or Datacenter:Hypervisor Qemu or Libvirt)."], errors);
    }

    [Fact]
    public void Build_UnknownHypervisor_ThrowsNamingSettingAndChoices()
    {
        var e = Assert.Throws<InvalidOperationException>(() => DaemonComposition.Build(new RunSettings(null, 1, null, ["--Datacenter:Hypervisor=Kvm"], false)));

        Assert.Equal("Datacenter:Hypervisor: unknown hypervisor (got 'Kvm'; expected Simulated, Qemu, Libvirt).", e.Message);
    }

    [Fact]
    public void Build_ScenarioOnRealHypervisor_IsRefused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => DaemonComposition.Build(new RunSettings(TimeSpan.FromHours(1), 3600, null, ["--Datacenter:Hypervisor=Qemu"], false)));

        Assert.StartsWith("predictor run --for runs an accelerated scenario on the simulated datacenter; Datacenter:Hypervisor is Qemu", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateConfiguration_ValidQemuDatacenter_HasNoErrors()
    {
        var inventory = Write("inventory.json", Inventory);
        var updates = Write("updates.json", """[{"host": "host-01", "updateId": "fw-1", "kind": "host-component"}]""");

        var errors = Validate(
            "--Datacenter:Hypervisor=qemu", $"--Datacenter:InventoryPath={inventory}", $"--Datacenter:UpdatesPath={updates}",
            "--Hypervisors:Qemu:Instances:0:Vm=vm-1", "--Hypervisors:Qemu:Instances:0:Host=host-01", "--Hypervisors:Qemu:Instances:0:QmpSocket=/run/vm-1.qmp",
            "--Hypervisors:Qemu:Instances:1:Vm=vm-2", "--Hypervisors:Qemu:Instances:1:Host=host-02", "--Hypervisors:Qemu:Instances:1:QmpSocket=/run/vm-2.qmp",
            "--Updates:Command=/bin/true");

        Assert.Empty(errors);
    }

    private IReadOnlyList<string> Validate(params string[] overrides)
    {
        using var app = DaemonComposition.Build(new RunSettings(null, 1, null, [.. overrides, $"--Automation:KillSwitchFile={Path.Combine(_directory, "kill")}"], false));
        return DaemonComposition.ValidateConfiguration(app.Services);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
