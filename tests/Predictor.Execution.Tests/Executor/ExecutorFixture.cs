using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Hypervisors;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Execution.Executor;
using Predictor.Execution.Hypervisors.Simulated;
using Predictor.Execution.Journal;
using Predictor.Execution.Time;
using Predictor.Execution.Updates;
using Predictor.Testing;

namespace Predictor.Execution.Tests.Executor;

/// <summary>An executor over the simulated hypervisor on a manual clock, with every outcome and update call recorded.</summary>
internal sealed class ExecutorFixture : IAsyncDisposable, IExecutionObserver, IHostUpdater
{
    public ExecutorFixture(DatacenterInventory inventory, ExecutorOptions? options = null)
    {
        Clock = new ManualTimeProvider();
        Hypervisor = new SimulatedHypervisor(inventory, Clock);
        Counting = new CountingHypervisor(Hypervisor);
        Journal = new SqliteExecutionJournal(":memory:");
        Executor = new PlanExecutor(Counting, Journal, options ?? new ExecutorOptions(), Clock, NullLogger<PlanExecutor>.Instance, this, this);
    }

    /// <summary>What the executor talks to: the simulated hypervisor, counting live migrations and failing on demand.</summary>
    public CountingHypervisor Counting { get; }

    public ManualTimeProvider Clock { get; }

    public SimulatedHypervisor Hypervisor { get; }

    public SqliteExecutionJournal Journal { get; }

    public PlanExecutor Executor { get; }

    public List<ExecutionOutcome> Outcomes { get; } = [];

    /// <summary>When each outcome was reported, on the clock.</summary>
    public List<DateTimeOffset> FinishedAt { get; } = [];

    /// <summary>Each update call, with the VMs the hypervisor reported on the host at that moment.</summary>
    public List<(HostUpdateRequest Request, string[] VmsOnHost)> Updates { get; } = [];

    /// <summary>When set, the next update fails with this message.</summary>
    public string? FailUpdateWith { get; set; }

    /// <summary>Three hosts (h1, h2 in update domain 0, h3 in 1), two VMs on h1.</summary>
    public static DatacenterInventory Inventory(double h3MemoryGiB = 256, bool h1HotRestart = false, bool v2CanPause = true) => DatacenterInventory.Create("t",
        [
            new Host("h1", "r1", 0, 0, 3, 32, 256, 2000, 25) { HotRestartCapable = h1HotRestart },
            new Host("h2", "r2", 1, 0, 3, 32, 256, 2000, 25),
            new Host("h3", "r3", 2, 1, 3, 32, h3MemoryGiB, 2000, 25),
        ],
        [
            new Vm("v1", "h1", 4, 16, 50, "general", 20, true, true),
            new Vm("v2", "h1", 4, 32, 50, "general", 20, true, v2CanPause),
        ]);

    public static MaintenancePlan Plan(IEnumerable<MigrationStep> migrations, IEnumerable<MaintenanceStep> maintenance) => new()
    {
        Migrations = [.. migrations],
        Maintenance = [.. maintenance],
        Limits = new PlanLimits(),
    };

    public static MigrationStep Move(string vm, string from, string to, double startS = 0) =>
        new(vm, from, to, MigrationKind.Live, startS, startS + 30, 16, 100, "test");

    /// <summary>
    /// Moves the clock from one due timer to the next until every scheduled step has finished, each time only
    /// once the executor is idle (whatever the last move released has run as far as it can).
    /// </summary>
    public async Task RunToEndAsync()
    {
        var drained = Executor.DrainAsync();
        for (var i = 0; i < 10_000; i++)
        {
            await IdleAsync();
            if (drained.IsCompleted)
            {
                break;
            }

            Assert.True(Clock.NextDue is not null, "steps are scheduled, the executor is idle and no timer is armed: nothing can end their wait");
            Clock.AdvanceTo(Clock.NextDue.Value);
        }

        Assert.True(drained.IsCompleted, "the executor did not finish within 10,000 timer firings");
        await drained;
    }

    /// <summary>Waits until the executor is idle; the bound only turns a hang into a failure.</summary>
    public Task IdleAsync() => Executor.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

    public async Task<string[]> VmsOnAsync(string host, params string[] candidates)
    {
        var on = new List<string>();
        foreach (var vm in candidates)
        {
            if (await Hypervisor.GetStateAsync(vm, host, default) is not VmRunState.Absent)
            {
                on.Add(vm);
            }
        }

        return [.. on];
    }

    public void OnStepFinished(ExecutionOutcome outcome)
    {
        lock (Outcomes)
        {
            Outcomes.Add(outcome);
            FinishedAt.Add(Clock.GetUtcNow());
        }
    }

    public async Task ApplyAsync(HostUpdateRequest request, CancellationToken cancellationToken)
    {
        // ConfigureAwait(false) as in product code: an updater must not resume on the test's context
        Updates.Add((request, await VmsOnAsync(request.Host, "v1", "v2").ConfigureAwait(false)));
        if (FailUpdateWith is { } message)
        {
            throw new HostUpdateException(message);
        }

        await InlineWait.Delay(Clock, request.PlannedDuration, cancellationToken).ConfigureAwait(false);
    }

    internal sealed class CountingHypervisor(IHypervisor inner) : IHypervisor, IHotRestartHypervisor
    {
        private readonly IHotRestartHypervisor _hot = (IHotRestartHypervisor)inner;

        private int _failNext;

        public int LiveMigrations;

        /// <summary>When set, live migrations throw this (an adapter failing in a way it does not translate).</summary>
        public Exception? Unexpected { get; set; }

        /// <summary>The next <paramref name="count"/> live migrations fail as a closed QMP socket would.</summary>
        public void FailNext(int count) => _failNext = count;

        public Task<VmRunState> GetStateAsync(string vm, string host, CancellationToken cancellationToken) => inner.GetStateAsync(vm, host, cancellationToken);

        public Task<MigrationResult> LiveMigrateAsync(string vm, string fromHost, string toHost, MigrationOptions options, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref LiveMigrations);
            if (Unexpected is { } unexpected)
            {
                throw unexpected;
            }

            return Interlocked.Decrement(ref _failNext) >= 0
                ? throw new HypervisorException($"QMP socket of {vm} on {fromHost} closed mid-command; the VM keeps running there")
                : inner.LiveMigrateAsync(vm, fromHost, toHost, options, progress, cancellationToken);
        }

        public Task<TimeSpan> ColdMigrateAsync(string vm, string fromHost, string toHost, CancellationToken cancellationToken) => inner.ColdMigrateAsync(vm, fromHost, toHost, cancellationToken);

        public Task PauseAsync(string vm, string host, CancellationToken cancellationToken) => inner.PauseAsync(vm, host, cancellationToken);

        public Task ResumeAsync(string vm, string host, CancellationToken cancellationToken) => inner.ResumeAsync(vm, host, cancellationToken);

        public Task<string?> HotRestartBlockerAsync(string vm, string host, CancellationToken cancellationToken) => _hot.HotRestartBlockerAsync(vm, host, cancellationToken);

        public Task<HotRestartResult> HotRestartAsync(string vm, string host, CancellationToken cancellationToken) => _hot.HotRestartAsync(vm, host, cancellationToken);

        public Task<string> ReconcileHotRestartAsync(string vm, string host, CancellationToken cancellationToken) => _hot.ReconcileHotRestartAsync(vm, host, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Executor.DisposeAsync();
        Journal.Dispose();
    }
}
