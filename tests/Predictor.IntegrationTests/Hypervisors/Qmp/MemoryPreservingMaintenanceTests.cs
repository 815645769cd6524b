using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Predictor.Core.Hypervisors;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Execution.Executor;
using Predictor.Execution.Hypervisors;
using Predictor.Execution.Hypervisors.Qmp;
using Predictor.Execution.Journal;
using Predictor.Execution.Updates;
using Predictor.Testing.Metrics;
using Predictor.Testing.Qemu;

namespace Predictor.IntegrationTests.Hypervisors.Qmp;

/// <summary>
/// Rung B end to end on a real QEMU VM: the executor pauses the VM, runs the configured update command,
/// resumes it; the guest's memory is intact and the pause is measured.
/// </summary>
public sealed class MemoryPreservingMaintenanceTests : IAsyncLifetime, IExecutionObserver
{
    private static readonly IMeterFactory MeterFactory = new TestMeterFactory();
    private readonly List<ExecutionOutcome> _outcomes = [];
    private QemuLab _lab = null!;

    public Task InitializeAsync()
    {
        _lab = new QemuLab();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    void IExecutionObserver.OnStepFinished(ExecutionOutcome outcome)
    {
        lock (_outcomes)
        {
            _outcomes.Add(outcome);
        }
    }

    [Fact]
    public async Task MemoryPreservingStep_RealVmAndUpdateCommand_PausedDuringTheCommandAndRamIntact()
    {
        var vm = await _lab.StartAsync("mp", incoming: false);
        var pattern = vm.FillMemoryWithPattern(seed: 41);
        var options = new QemuHypervisorOptions();
        options.Instances.Add(new QemuInstanceOptions { Vm = "vm-1", Host = "h1", QmpSocket = vm.QmpSocket });
        var hypervisor = new QemuHypervisor(Options.Create(options), TimeProvider.System, NullLogger<QemuHypervisor>.Instance, new HypervisorMetrics(MeterFactory));
        var marker = Path.Combine(_lab.WorkDirectory, "update-ran");
        var command = new CommandHostUpdater(
            new HostUpdateCommandOptions { Command = "/bin/sh", Arguments = ["-c", $"sleep 0.5; echo \"$PREDICTOR_HOST $PREDICTOR_UPDATE $PREDICTOR_ACTION\" > {marker}"] },
            TimeProvider.System, NullLogger<CommandHostUpdater>.Instance);
        var updater = new StateCheckingUpdater(command, hypervisor);
        using var journal = new SqliteExecutionJournal(":memory:");
        await using var executor = new PlanExecutor(hypervisor, journal, new ExecutorOptions(), TimeProvider.System, NullLogger<PlanExecutor>.Instance, this, updater);
        var inventory = DatacenterInventory.Create("lab", [new Host("h1", "r1", 0, 0, 1, 4, 16, 100, 10)], [new Vm("vm-1", "h1", 1, 0.0625, 1, "general", 1, true, true)]);
        var plan = new MaintenancePlan
        {
            Maintenance = [new MaintenanceStep("h1", MaintenanceAction.MemoryPreserving, 0, 5, 500)],
            Limits = new PlanLimits(),
        };

        Assert.Equal(1, executor.Submit(plan, inventory, "mp-1", TimeProvider.System.GetUtcNow(), new Dictionary<string, string> { ["h1"] = "qemu-9.1" }));
        await executor.DrainAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(VmRunState.Paused, updater.StateDuringUpdate);
        Assert.Equal("h1 qemu-9.1 memory-preserving\n", await File.ReadAllTextAsync(marker));
        var step = Assert.Single(_outcomes);
        Assert.True(step.Succeeded, step.Message);
        Assert.Equal((StepKind.MemoryPreserving, "1 VMs paused and resumed"), (step.Kind, step.Message));
        Assert.InRange(step.Blackout, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(30));
        Assert.Equal(VmRunState.Running, await hypervisor.GetStateAsync("vm-1", "h1", CancellationToken.None));
        Assert.True(pattern.AsSpan().SequenceEqual(vm.ReadMemory()), "guest RAM changed across memory-preserving maintenance");
        Assert.Empty(await journal.InFlightAsync(CancellationToken.None));
    }

    /// <summary>Records the VM's state as QEMU reports it at the moment the update starts, then runs the real command.</summary>
    private sealed class StateCheckingUpdater(IHostUpdater inner, IHypervisor hypervisor) : IHostUpdater
    {
        public VmRunState? StateDuringUpdate { get; private set; }

        public async Task ApplyAsync(HostUpdateRequest request, CancellationToken cancellationToken)
        {
            StateDuringUpdate = await hypervisor.GetStateAsync("vm-1", request.Host, cancellationToken);
            await inner.ApplyAsync(request, cancellationToken);
        }
    }
}
