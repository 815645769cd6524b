using Predictor.Execution.Hypervisors.Qmp;

namespace Predictor.Execution.Tests.Hypervisors.Qmp;

public sealed class QemuHypervisorOptionsValidatorTests
{
    [Fact]
    public void Collect_ValidInstances_NoErrors()
    {
        var options = new QemuHypervisorOptions
        {
            Instances =
            [
                new() { Vm = "vm-1", Host = "h1", QmpSocket = "/run/qemu/vm-1.qmp" },
                new() { Vm = "vm-1", Host = "h2", QmpSocket = "/run/qemu/vm-1-in.qmp", IncomingUri = "tcp:10.0.0.2:49152" },
                new() { Vm = "vm-2", Host = "h2", QmpSocket = "/run/qemu/vm-2.qmp", IncomingUri = "unix:/run/qemu/vm-2.mig" },
            ],
        };

        Assert.Empty(QemuHypervisorOptionsValidator.Collect(options));
    }

    [Fact]
    public void Collect_SeveralMistakes_ReportsEveryOneNamingTheSetting()
    {
        var options = new QemuHypervisorOptions
        {
            CommandTimeout = TimeSpan.Zero,
            Instances =
            [
                new() { Vm = "vm-1", Host = "h1", QmpSocket = "relative.sock", IncomingUri = "tcp:10.0.0.2" },
                new() { Vm = "", Host = "h1", QmpSocket = "/run/a.qmp" },
                new() { Vm = "vm-1", Host = "h1", QmpSocket = "/run/b.qmp", IncomingUri = "tcp:host:70000" },
            ],
        };

        Assert.Equal(
            [
                "Hypervisors:Qemu:CommandTimeout: expected a positive duration, got 00:00:00",
                "Hypervisors:Qemu:Instances:0:QmpSocket: expected an absolute path of a QMP unix socket, got 'relative.sock'",
                "Hypervisors:Qemu:Instances:0:IncomingUri: expected 'tcp:ADDRESS:PORT' (port 1-65535) or 'unix:/absolute/path', got 'tcp:10.0.0.2'",
                "Hypervisors:Qemu:Instances:1:Vm: expected the VM id, got an empty value",
                "Hypervisors:Qemu:Instances:2:IncomingUri: expected 'tcp:ADDRESS:PORT' (port 1-65535) or 'unix:/absolute/path', got 'tcp:host:70000'",
                "Hypervisors:Qemu:Instances:2: VM 'vm-1' on host 'h1' is already configured at Hypervisors:Qemu:Instances:0",
            ],
            QemuHypervisorOptionsValidator.Collect(options));
    }
}
