using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
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
/// Hypervisor hot restart against real qemu-system-x86_64 (TCG): each VM's QEMU process is replaced in place on its
/// host, guest RAM shared through its memory-backend-file rather than copied.
/// </summary>
public sealed class QemuHotRestartTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly IMeterFactory MeterFactory = new TestMeterFactory();
    private readonly FakeLogger<QemuHypervisor> _logger = new();
    private QemuLab _lab = null!;

    public Task InitializeAsync()
    {
        _lab = new QemuLab();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Fact]
    public async Task HotRestart_SharedRamVm_RamByteIdenticalNewProcessRunsOldOneGoneBlackoutMeasured()
    {
        var vm = await _lab.StartAsync("hr", incoming: false, memoryMiB: 256);
        var pattern = vm.FillMemoryWithPattern(seed: 23);
        var hypervisor = CreateHypervisor(vm, _lab.CommandOf("hr", memoryMiB: 256));
        var oldPid = vm.Process.Id;

        var result = await hypervisor.HotRestartAsync("vm-1", "h1", CancellationToken.None).WaitAsync(Bound);

        Assert.True(await vm.WaitForExitAsync(TimeSpan.FromSeconds(10)), "the old QEMU process should have quit");
        var (newPid, status) = await ProcessAndStatusAsync(vm.QmpSocket);
        Assert.NotEqual(oldPid, newPid);
        Assert.False(QemuProcesses.HasExited(newPid), $"the new QEMU process {newPid} should run");
        Assert.Equal("running", status);
        Assert.Equal(VmRunState.Running, await hypervisor.GetStateAsync("vm-1", "h1", CancellationToken.None));
        Assert.True(pattern.AsSpan().SequenceEqual(vm.ReadMemory()), "guest RAM changed across the hot restart");
        Assert.Equal("x-ignore-shared", result.Mode);
        Assert.InRange(result.Blackout, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(1));
        Assert.InRange(result.Duration, result.Blackout, Bound);
        Assert.Empty(Directory.GetFiles(_lab.WorkDirectory, "hr.qmp.next.*"));
        Assert.Single(QemuLab.ProcessesNaming(_lab.WorkDirectory + "/hr.ram"));
        var completed = Assert.Single(_logger.Collector.GetSnapshot(), e => e.Id.Id == 2331);
        Assert.StartsWith($"Hot restart of VM vm-1 on h1 done in ", completed.Message, StringComparison.Ordinal);
        Assert.Contains($": process {oldPid} replaced by {newPid}, guest paused ", completed.Message, StringComparison.Ordinal);
        Assert.EndsWith("RAM shared (x-ignore-shared)", completed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HotRestart_Twice_SecondSwapReplacesTheFirstReplacement()
    {
        var vm = await _lab.StartAsync("hr2", incoming: false);
        var pattern = vm.FillMemoryWithPattern(seed: 29);
        var hypervisor = CreateHypervisor(vm, _lab.CommandOf("hr2"));
        await hypervisor.HotRestartAsync("vm-1", "h1", CancellationToken.None).WaitAsync(Bound);
        var (firstPid, _) = await ProcessAndStatusAsync(vm.QmpSocket);

        await hypervisor.HotRestartAsync("vm-1", "h1", CancellationToken.None).WaitAsync(Bound);

        var (secondPid, status) = await ProcessAndStatusAsync(vm.QmpSocket);
        Assert.NotEqual(firstPid, secondPid);
        Assert.True(QemuProcesses.HasExited(firstPid), "the first replacement should have been retired");
        Assert.Equal("running", status);
        Assert.True(pattern.AsSpan().SequenceEqual(vm.ReadMemory()), "guest RAM changed across two hot restarts");
        Assert.Single(QemuLab.ProcessesNaming(_lab.WorkDirectory + "/hr2.ram"));
    }

    [Fact]
    public async Task HotRestart_GuestKeepsCounting_CounterAdvancesInTheNewProcessAfterTheOldOneIsGone()
    {
        var vm = await _lab.StartAsync("count", incoming: false, counting: true);
        var hypervisor = CreateHypervisor(vm, _lab.CommandOf("count", counting: true));
        var before = await AdvancingCounterAsync(vm);

        await hypervisor.HotRestartAsync("vm-1", "h1", CancellationToken.None).WaitAsync(Bound);
        Assert.True(await vm.WaitForExitAsync(TimeSpan.FromSeconds(10)), "the old QEMU process should have quit");
        var after = await AdvancingCounterAsync(vm);

        // the counter lives in shared RAM: the new process carries on from where the old one stopped, never from zero
        Assert.True(after > before, $"the guest's counter went from {before} before the swap to {after} after it");
    }

    [Fact]
    public async Task HotRestart_RamNotShared_BlockedWithTheReasonAndTheVmUntouched()
    {
        var vm = await _lab.StartAsync("private", incoming: false, shared: false);
        var hypervisor = CreateHypervisor(vm, _lab.CommandOf("private", shared: false));

        var blocker = await hypervisor.HotRestartBlockerAsync("vm-1", "h1", CancellationToken.None);
        var ex = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.HotRestartAsync("vm-1", "h1", CancellationToken.None).WaitAsync(Bound));

        const string Reason = "memory backend mem of VM 'vm-1' on 'h1' is not shared (share=on), so a new process could not take the guest RAM over";
        Assert.Equal(Reason, blocker);
        Assert.Equal($"VM 'vm-1' was not hot-restarted: {Reason}; nothing was changed", ex.Message);
        Assert.False(vm.HasExited);
        Assert.Equal((vm.Process.Id, "running"), await ProcessAndStatusAsync(vm.QmpSocket));
    }

    [Fact]
    public async Task HotRestart_NoCommandConfigured_BlockedNamingTheSetting()
    {
        var vm = await _lab.StartAsync("nocmd", incoming: false);
        var hypervisor = CreateHypervisor(vm, command: null);

        Assert.Equal("Hypervisors:Qemu instance of VM 'vm-1' on 'h1' has no HotRestartCommand to start a replacement process from",
            await hypervisor.HotRestartBlockerAsync("vm-1", "h1", CancellationToken.None));
    }

    [Fact]
    public async Task HotRestart_ReplacementCannotStart_ErrorCarriesQemusOutputAndTheVmKeepsItsProcess()
    {
        var vm = await _lab.StartAsync("badcmd", incoming: false);
        var pattern = vm.FillMemoryWithPattern(seed: 37);
        var hypervisor = CreateHypervisor(vm, [.. _lab.CommandOf("badcmd"), "-no-such-option"]);

        var ex = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.HotRestartAsync("vm-1", "h1", CancellationToken.None).WaitAsync(Bound));

        Assert.StartsWith("hot restart of VM 'vm-1' on 'h1': the new QEMU did not start (it exited with code 1; output: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("-no-such-option", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith($"); the VM keeps running in process {vm.Process.Id}", ex.Message, StringComparison.Ordinal);
        Assert.Equal((vm.Process.Id, "running"), await ProcessAndStatusAsync(vm.QmpSocket));
        Assert.True(pattern.AsSpan().SequenceEqual(vm.ReadMemory()), "guest RAM changed");
        Assert.Empty(Directory.GetFiles(_lab.WorkDirectory, "badcmd.qmp.next.*"));
    }

    [Fact]
    public async Task ReconcileHotRestart_CrashAfterTheSwitchOver_RetiresTheOldProcessAndPromotesTheNewOne()
    {
        var vm = await _lab.StartAsync("crash1", incoming: false);
        var pattern = vm.FillMemoryWithPattern(seed: 43);
        var hypervisor = CreateHypervisor(vm, _lab.CommandOf("crash1"));
        var newPid = await HalfSwapAsync(vm, _lab.CommandOf("crash1"), migrate: true);

        var resolution = await hypervisor.ReconcileHotRestartAsync("vm-1", "h1", CancellationToken.None).WaitAsync(Bound);

        Assert.Equal($"VM 'vm-1': the swap had finished; old process {vm.Process.Id} retired, the new one runs the VM at {vm.QmpSocket}", resolution);
        Assert.True(await vm.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal((newPid, "running"), await ProcessAndStatusAsync(vm.QmpSocket));
        Assert.True(pattern.AsSpan().SequenceEqual(vm.ReadMemory()), "guest RAM changed");
        Assert.Equal([newPid], QemuLab.ProcessesNaming(_lab.WorkDirectory + "/crash1.ram"));
    }

    [Fact]
    public async Task ReconcileHotRestart_CrashBeforeTheMigration_RetiresTheNewProcessAndTheVmKeepsItsOldOne()
    {
        var vm = await _lab.StartAsync("crash2", incoming: false);
        var hypervisor = CreateHypervisor(vm, _lab.CommandOf("crash2"));
        var newPid = await HalfSwapAsync(vm, _lab.CommandOf("crash2"), migrate: false);

        var resolution = await hypervisor.ReconcileHotRestartAsync("vm-1", "h1", CancellationToken.None).WaitAsync(Bound);

        Assert.Equal($"VM 'vm-1': the swap had not finished (new process inmigrate); the new process {newPid} was retired and VM 'vm-1' keeps its old process on 'h1'; the VM is 'running'", resolution);
        Assert.True(QemuProcesses.HasExited(newPid));
        Assert.Equal((vm.Process.Id, "running"), await ProcessAndStatusAsync(vm.QmpSocket));
        Assert.Empty(Directory.GetFiles(_lab.WorkDirectory, "crash2.qmp.next.*"));
        Assert.Equal([vm.Process.Id], QemuLab.ProcessesNaming(_lab.WorkDirectory + "/crash2.ram"));
    }

    [Fact]
    public async Task HotRestartStep_ExecutorOnRealQemu_UpdateThenSwapJournalledAndBlackoutReported()
    {
        var vm = await _lab.StartAsync("step", incoming: false);
        var pattern = vm.FillMemoryWithPattern(seed: 47);
        var hypervisor = CreateHypervisor(vm, _lab.CommandOf("step"));
        var marker = Path.Combine(_lab.WorkDirectory, "update-ran");
        var updater = new CommandHostUpdater(
            new HostUpdateCommandOptions { Command = "/bin/sh", Arguments = ["-c", $"echo \"$PREDICTOR_UPDATE $PREDICTOR_ACTION\" > {marker}"] },
            TimeProvider.System, NullLogger<CommandHostUpdater>.Instance);
        var outcomes = new List<ExecutionOutcome>();
        using var journal = new SqliteExecutionJournal(":memory:");
        await using var executor = new PlanExecutor(hypervisor, journal, new ExecutorOptions(), TimeProvider.System, NullLogger<PlanExecutor>.Instance, new Observer(outcomes), updater);
        var plan = new MaintenancePlan { Maintenance = [new MaintenanceStep("h1", MaintenanceAction.HotRestart, 0, 15, 50)], Limits = new PlanLimits() };

        Assert.Equal(1, executor.Submit(plan, Inventory(), "hr-1", TimeProvider.System.GetUtcNow(), new Dictionary<string, string> { ["h1"] = "qemu-7.2.23" }));
        await executor.DrainAsync().WaitAsync(Bound);

        Assert.Equal("qemu-7.2.23 hot-restart\n", await File.ReadAllTextAsync(marker));
        var step = Assert.Single(outcomes);
        Assert.True(step.Succeeded, step.Message);
        Assert.Equal(StepKind.HotRestart, step.Kind);
        Assert.InRange(step.Blackout, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(1));
        Assert.True(await vm.WaitForExitAsync(TimeSpan.FromSeconds(10)), "the old QEMU process should have quit");
        Assert.Equal(VmRunState.Running, await hypervisor.GetStateAsync("vm-1", "h1", CancellationToken.None));
        Assert.True(pattern.AsSpan().SequenceEqual(vm.ReadMemory()), "guest RAM changed across the hot restart");
        Assert.Empty(await journal.InFlightAsync(CancellationToken.None));
    }

    [Fact]
    public async Task HotRestartStep_ExecutorCrashedAfterTheSwitchOver_RecoveryLeavesExactlyOneRunningQemu()
    {
        var vm = await _lab.StartAsync("rec", incoming: false);
        var hypervisor = CreateHypervisor(vm, _lab.CommandOf("rec"));
        using var journal = new SqliteExecutionJournal(":memory:");
        await journal.RecordAsync(new JournalEntry("hr-0/h1", "hr-0", StepKind.HotRestart, "h1", "h1", null, StepState.Started, TimeProvider.System.GetUtcNow()) { PausedVms = ["vm-1"] }, CancellationToken.None);
        var newPid = await HalfSwapAsync(vm, _lab.CommandOf("rec"), migrate: true);
        await using var executor = new PlanExecutor(hypervisor, journal, new ExecutorOptions(), TimeProvider.System, NullLogger<PlanExecutor>.Instance);

        Assert.Equal(1, await executor.RecoverAsync(CancellationToken.None).WaitAsync(Bound));

        Assert.Equal([newPid], QemuLab.ProcessesNaming(_lab.WorkDirectory + "/rec.ram"));
        Assert.Equal((newPid, "running"), await ProcessAndStatusAsync(vm.QmpSocket));
        var last = (await journal.HistoryAsync("h1", CancellationToken.None))[^1];
        Assert.Equal(StepState.Failed, last.State);
        Assert.Equal($"recovered: a hot restart was interrupted; it will be planned again; VM 'vm-1': the swap had finished; old process {vm.Process.Id} retired, the new one runs the VM at {vm.QmpSocket}", last.Message);
    }

    private static DatacenterInventory Inventory() =>
        DatacenterInventory.Create("lab", [new Host("h1", "r1", 0, 0, 1, 4, 16, 100, 10) { HotRestartCapable = true }], [new Vm("vm-1", "h1", 1, 0.0625, 1, "general", 1, true, true)]);

    private sealed class Observer(List<ExecutionOutcome> outcomes) : IExecutionObserver
    {
        public void OnStepFinished(ExecutionOutcome outcome)
        {
            lock (outcomes)
            {
                outcomes.Add(outcome);
            }
        }
    }

    private QemuHypervisor CreateHypervisor(QemuInstance vm, IList<string>? command)
    {
        var options = new QemuHypervisorOptions { ProgressPollInterval = TimeSpan.FromMilliseconds(20) };
        options.Instances.Add(new QemuInstanceOptions { Vm = "vm-1", Host = "h1", QmpSocket = vm.QmpSocket, HotRestartCommand = command });
        return new QemuHypervisor(Options.Create(options), TimeProvider.System, _logger, new HypervisorMetrics(MeterFactory));
    }

    /// <summary>
    /// What a daemon killed mid hot restart leaves: a replacement QEMU started next to the running one and, with
    /// <paramref name="migrate"/>, the local migration finished, but the old process not yet retired. Returns the new pid.
    /// </summary>
    private static async Task<int> HalfSwapAsync(QemuInstance vm, IList<string> command, bool migrate)
    {
        var next = vm.QmpSocket + ".next." + vm.Process.Id;
        var start = new System.Diagnostics.ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in command.Skip(1).Concat(["-qmp", $"unix:{next},server=on,wait=off", "-incoming", "defer"]))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        while (!File.Exists(next))
        {
            Assert.False(process.HasExited, "the replacement QEMU exited at start");
            await Task.Delay(10);
        }

        if (migrate)
        {
            var uri = "unix:" + vm.QmpSocket + ".hotrestart";
            var capabilities = new JsonObject { ["capabilities"] = new JsonArray(new JsonObject { ["capability"] = "x-ignore-shared", ["state"] = true }) };
            await using var dst = await ConnectAsync(next);
            await using var src = await ConnectAsync(vm.ObserverSocket);
            await dst.ExecuteAsync("migrate-set-capabilities", (JsonObject)capabilities.DeepClone(), CancellationToken.None);
            await src.ExecuteAsync("migrate-set-capabilities", capabilities, CancellationToken.None);
            await dst.ExecuteAsync("migrate-incoming", new() { ["uri"] = uri }, CancellationToken.None);
            await src.ExecuteAsync("migrate", new() { ["uri"] = uri }, CancellationToken.None);
            while ((await dst.ExecuteAsync("query-status", null, CancellationToken.None)).GetProperty("status").GetString() != "running")
            {
                await Task.Delay(10);
            }
        }

        return process.Id;
    }

    /// <summary>The counter after it has been seen to advance (the guest runs), bounded.</summary>
    private static async Task<uint> AdvancingCounterAsync(QemuInstance vm)
    {
        var first = vm.ReadCounter();
        for (var i = 0; i < 500; i++)
        {
            await Task.Delay(10);
            if (vm.ReadCounter() is var now && now != first)
            {
                return now;
            }
        }

        Assert.Fail($"the guest's counter stayed at {first} for 5 s: the guest does not run");
        return first;
    }

    private static Task<QmpClient> ConnectAsync(string socket) =>
        QmpClient.ConnectAsync(socket, TimeSpan.FromSeconds(10), TimeProvider.System, NullLogger.Instance, CancellationToken.None);

    private static async Task<(int Pid, string Status)> ProcessAndStatusAsync(string socket)
    {
        await using var client = await ConnectAsync(socket);
        var status = (await client.ExecuteAsync("query-status", null, CancellationToken.None)).GetProperty("status").GetString()!;
        return (client.PeerProcessId!.Value, status);
    }
}
