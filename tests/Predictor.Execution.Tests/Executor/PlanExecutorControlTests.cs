using Microsoft.Extensions.Logging.Testing;
using Predictor.Core.Hypervisors;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Execution.Executor;
using Predictor.Execution.Hypervisors.Simulated;
using Predictor.Execution.Journal;
using Predictor.Testing;

namespace Predictor.Execution.Tests.Executor;

/// <summary>Pause and abort of the executor on the simulated hypervisor and a manual clock.</summary>
public sealed class PlanExecutorControlTests : IDisposable
{
    private readonly ManualTimeProvider _clock = new();
    private readonly SqliteExecutionJournal _journal = new(":memory:");
    private readonly FakeLogger<PlanExecutor> _logger = new();
    private readonly DatacenterInventory _inventory = DatacenterInventory.Create(
        "dc",
        [new Host("h1", "r1", 1, 1, 3, 16, 64, 500, 10), new Host("h2", "r2", 2, 2, 3, 16, 64, 500, 10)],
        [new Vm("vm-1", "h1", 2, 4, 20, "general", 10, true, true)]);

    public void Dispose() => _journal.Dispose();

    [Fact]
    public async Task Submit_PausedBeforePlannedStart_StepIsDroppedAndNeverJournalled()
    {
        var hypervisor = new SimulatedHypervisor(_inventory, _clock);
        await using var executor = new PlanExecutor(hypervisor, _journal, new ExecutorOptions(), _clock, _logger);
        var plan = new MaintenancePlan { Migrations = [new MigrationStep("vm-1", "h1", "h2", MigrationKind.Live, 60, 90, 4, 10, "test")] };

        Assert.Equal(1, executor.Submit(plan, _inventory, "p1", _clock.GetUtcNow()));
        executor.Paused = true;
        _clock.Advance(TimeSpan.FromSeconds(61));
        await executor.DrainAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(await _journal.HistoryAsync("vm-1", CancellationToken.None));
        Assert.Equal("h1", hypervisor.Snapshot().GetVm("vm-1").Host);
        Assert.Contains(_logger.Collector.GetSnapshot(), e => e.Id.Id == 2013 && e.Message == "Executor is paused: step p1/vm-1 for vm-1 was not started");
    }

    [Fact]
    public async Task AbortRunning_DuringMemoryPreservingPause_ResumesVmsAndJournalsFailed()
    {
        var hypervisor = new SimulatedHypervisor(_inventory, _clock);
        await using var executor = new PlanExecutor(hypervisor, _journal, new ExecutorOptions(), _clock, _logger);
        var plan = new MaintenancePlan { Maintenance = [new MaintenanceStep("h1", MaintenanceAction.MemoryPreserving, 0, 30, 30_000)] };

        executor.Submit(plan, _inventory, "p1", _clock.GetUtcNow());
        await executor.WhenIdleAsync();
        Assert.Equal(VmRunState.Paused, await hypervisor.GetStateAsync("vm-1", "h1", CancellationToken.None));
        executor.AbortRunning("kill switch: test");
        await executor.DrainAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(VmRunState.Running, await hypervisor.GetStateAsync("vm-1", "h1", CancellationToken.None));
        var history = await _journal.HistoryAsync("h1", CancellationToken.None);
        Assert.Equal([StepState.Started, StepState.Failed], history.Select(h => h.State).ToArray());
        Assert.Equal("aborted (kill switch: test); its 1 paused VMs are resumed", history[^1].Message);
    }

    [Fact]
    public async Task AbortRunning_StepWaitingForItsStart_IsDroppedAndLaterStepsStillRun()
    {
        var hypervisor = new SimulatedHypervisor(_inventory, _clock);
        await using var executor = new PlanExecutor(hypervisor, _journal, new ExecutorOptions(), _clock, _logger);
        var plan = new MaintenancePlan { Migrations = [new MigrationStep("vm-1", "h1", "h2", MigrationKind.Live, 3600, 3630, 4, 10, "test")] };
        executor.Submit(plan, _inventory, "p1", _clock.GetUtcNow());

        executor.AbortRunning("kill switch: test");
        await executor.DrainAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, executor.RunningSteps);

        executor.Submit(plan with { Migrations = [plan.Migrations[0] with { StartS = 0 }] }, _inventory, "p2", _clock.GetUtcNow());
        await executor.WhenIdleAsync();
        Assert.Equal(VmRunState.Migrating, await hypervisor.GetStateAsync("vm-1", "h1", CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(5));
        await executor.DrainAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(await _journal.HistoryAsync("p1/vm-1", CancellationToken.None));
        Assert.Equal([StepState.Started, StepState.Completed], (await _journal.HistoryAsync("vm-1", CancellationToken.None)).Select(h => h.State).ToArray());
        Assert.Equal("h2", hypervisor.Snapshot().GetVm("vm-1").Host);
    }

    [Fact]
    public async Task Submit_AdapterThrowsUnexpectedException_StepIsJournalledFailedWithTheError()
    {
        await using var executor = new PlanExecutor(new BrokenHypervisor(), _journal, new ExecutorOptions(), _clock, _logger);
        var plan = new MaintenancePlan { Migrations = [new MigrationStep("vm-1", "h1", "h2", MigrationKind.Live, 0, 30, 4, 10, "test")] };

        executor.Submit(plan, _inventory, "p1", _clock.GetUtcNow());
        await executor.DrainAsync().WaitAsync(TimeSpan.FromSeconds(10));

        var history = await _journal.HistoryAsync("vm-1", CancellationToken.None);
        Assert.Equal([StepState.Started, StepState.Failed], history.Select(h => h.State).ToArray());
        Assert.Equal("IOException: socket reset by peer", history[^1].Message);
    }

    /// <summary>An adapter failing in a way it does not translate into a <see cref="HypervisorException"/>.</summary>
    private sealed class BrokenHypervisor : IHypervisor
    {
        public Task<VmRunState> GetStateAsync(string vm, string host, CancellationToken cancellationToken) => throw new IOException("socket reset by peer");

        public Task<MigrationResult> LiveMigrateAsync(string vm, string fromHost, string toHost, MigrationOptions options, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken) =>
            throw new IOException("socket reset by peer");

        public Task<TimeSpan> ColdMigrateAsync(string vm, string fromHost, string toHost, CancellationToken cancellationToken) => throw new IOException("socket reset by peer");

        public Task PauseAsync(string vm, string host, CancellationToken cancellationToken) => throw new IOException("socket reset by peer");

        public Task ResumeAsync(string vm, string host, CancellationToken cancellationToken) => throw new IOException("socket reset by peer");
    }
}
