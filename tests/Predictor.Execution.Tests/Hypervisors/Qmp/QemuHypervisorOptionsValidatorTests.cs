using Predictor.Execution.Hypervisors.Qmp;

namespace Predictor.Execution.Tests.Hypervisors.Qmp;

public sealed class QemuHypervisorOptionsValidatorTests
{
    [Fact]
    public void Validate_ValidInstances_NoErrors()
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

        Assert.True(new QemuHypervisorOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_SeveralMistakes_ReportsEveryOneNamingTheSetting()
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
                "Hypervisors:Qemu:CommandTimeout: out of range (got 00:00:00; expected more than 00:00:00).",
                "Hypervisors:Qemu:Instances:0:QmpSocket: not an absolute path (got 'relative.sock'; expected the absolute path of a QMP unix socket).",
                "Hypervisors:Qemu:Instances:0:IncomingUri: not a migration address (got 'tcp:10.0.0.2'; expected 'tcp:ADDRESS:PORT' (port 1-65535) or 'unix:/absolute/path').",
                "Hypervisors:Qemu:Instances:1:Vm: empty (got ''; expected the VM id).",
                "Hypervisors:Qemu:Instances:2:IncomingUri: not a migration address (got 'tcp:host:70000'; expected 'tcp:ADDRESS:PORT' (port 1-65535) or 'unix:/absolute/path').",
                "Hypervisors:Qemu:Instances:2:Host: VM 'vm-1' configured twice on this host (got 'h1'; expected each VM once per host (the first is Hypervisors:Qemu:Instances:0)).",
            ],
            new QemuHypervisorOptionsValidator().Validate(null, options).Failures);
    }
}
