using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Hypervisors;
using Predictor.Core.Plans;
using Predictor.Execution.Executor;
using Predictor.Execution.Hypervisors.Simulated;
using Predictor.Execution.Journal;
using Predictor.Testing;

namespace Predictor.Execution.Tests.Executor;

/// <summary>The idle signal a virtual clock is advanced on: idle exactly when no step can move without something else.</summary>
public sealed class PlanExecutorIdleTests : IAsyncDisposable
{
    private readonly ManualTimeProvider _clock = new();
    private readonly SqliteExecutionJournal _journal = new(":memory:");
    private readonly HeldHypervisor _hypervisor;
    private readonly PlanExecutor _executor;
    private readonly List<bool> _idleWhenReported = [];

    public PlanExecutorIdleTests()
    {
        _hypervisor = new HeldHypervisor(new SimulatedHypervisor(ExecutorFixture.Inventory(), _clock));
        _executor = new PlanExecutor(_hypervisor, _journal, new ExecutorOptions(), _clock, NullLogger<PlanExecutor>.Instance, new Observer(this));
        _hypervisor.Executor = _executor;
    }

    public async ValueTask DisposeAsync()
    {
        await _executor.DisposeAsync();
        _journal.Dispose();
    }

    [Fact]
    public void IsIdle_StepPlannedForLater_IsIdleAndTheClockHoldsItsStart()
    {
        Assert.Equal(1, _executor.Submit(ExecutorFixture.Plan([ExecutorFixture.Move("v1", "h1", "h2", startS: 60)], []), ExecutorFixture.Inventory(), "p1", _clock.GetUtcNow()));

        Assert.True(_executor.IsIdle);
        Assert.True(_executor.WhenIdleAsync().IsCompletedSuccessfully);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(60), _clock.NextDue);
        Assert.Empty(_hypervisor.Calls);
    }

    [Fact]
    public async Task IsIdle_StepCallsTheHypervisor_IsBusyInTheCallIdleWhileParkedOnItAndBusyUntilItEnds()
    {
        _executor.Submit(ExecutorFixture.Plan([ExecutorFixture.Move("v1", "h1", "h2")], []), ExecutorFixture.Inventory(), "p1", _clock.GetUtcNow());

        Assert.Equal([("v1", false)], _hypervisor.Calls);
        Assert.True(_executor.IsIdle);

        HeldHypervisor.EndOffContext(_hypervisor.Held["v1"]);
        await _executor.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([false], _idleWhenReported);
        Assert.Equal(0, _executor.RunningSteps);
    }

    [Fact]
    public async Task WhenIdleAsync_SlotHandedToAWaitingMigration_CompletesOnlyOnceTheWaiterIsParkedInItsCall()
    {
        var plan = ExecutorFixture.Plan([ExecutorFixture.Move("v1", "h1", "h2"), ExecutorFixture.Move("v2", "h1", "h3")], []) with { Limits = new PlanLimits { MaxConcurrent = 1 } };
        _executor.Submit(plan, ExecutorFixture.Inventory(), "p1", _clock.GetUtcNow());
        Assert.Equal([("v1", false)], _hypervisor.Calls);
        Assert.True(_executor.IsIdle); // v1 parked on the hypervisor, v2 on the concurrency slot

        HeldHypervisor.EndOffContext(_hypervisor.Held["v1"]);
        await _executor.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([("v1", false), ("v2", false)], _hypervisor.Calls);
        Assert.Equal(1, _executor.RunningSteps);
    }

    private sealed class Observer(PlanExecutorIdleTests test) : IExecutionObserver
    {
        public void OnStepFinished(ExecutionOutcome outcome) => test._idleWhenReported.Add(test._executor.IsIdle);
    }

    /// <summary>Live migrations that end only when the test says so; each call notes whether the executor looked idle.</summary>
    private sealed class HeldHypervisor(IHypervisor inner) : IHypervisor
    {
        public PlanExecutor? Executor { get; set; }

        public List<(string Vm, bool Idle)> Calls { get; } = [];

        public Dictionary<string, TaskCompletionSource<MigrationResult>> Held { get; } = [];

        /// <summary>Ends a held call as an I/O or timer thread would: with no synchronization context.</summary>
        public static void EndOffContext(TaskCompletionSource<MigrationResult> call)
        {
            var context = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(null);
            try
            {
                call.SetResult(new MigrationResult(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(50), 1));
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(context);
            }
        }

        public Task<MigrationResult> LiveMigrateAsync(string vm, string fromHost, string toHost, MigrationOptions options, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
        {
            Calls.Add((vm, Executor!.IsIdle));
            var call = new TaskCompletionSource<MigrationResult>();
            cancellationToken.Register(() => call.TrySetCanceled(cancellationToken));
            Held[vm] = call;
            return call.Task;
        }

        public Task<VmRunState> GetStateAsync(string vm, string host, CancellationToken cancellationToken) => inner.GetStateAsync(vm, host, cancellationToken);

        public Task<TimeSpan> ColdMigrateAsync(string vm, string fromHost, string toHost, CancellationToken cancellationToken) => inner.ColdMigrateAsync(vm, fromHost, toHost, cancellationToken);

        public Task PauseAsync(string vm, string host, CancellationToken cancellationToken) => inner.PauseAsync(vm, host, cancellationToken);

        public Task ResumeAsync(string vm, string host, CancellationToken cancellationToken) => inner.ResumeAsync(vm, host, cancellationToken);
    }
}
