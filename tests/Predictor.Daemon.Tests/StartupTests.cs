using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Alerts;
using Predictor.Daemon.Pipeline;
using Predictor.Daemon.Tests.Support;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;

namespace Predictor.Daemon.Tests;

/// <summary>Start-up faults: the journal cannot be reconciled (libvirt or QEMU unreachable).</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Start_RecoveryKeepsFailing_RetriesWithBackoffAlertsOnceThenStopsWithAFailure()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory());
        var journal = new UnreachableJournal(failures: int.MaxValue);
        var (worker, failure, lifetime) = Worker(harness, journal, TimeSpan.FromSeconds(5));

        await worker.StartAsync(CancellationToken.None);
        await AdvanceUntilAsync(harness, () => lifetime.Stopped);

        // attempts at 0 s, 1 s and 3 s; the next wait (4 s) would end past the 5 s allowed
        Assert.Equal(3, journal.Calls);
        Assert.StartsWith("journal recovery failed 3 times over 00:00:03; last: libvirt: cannot connect", failure.Reason, StringComparison.Ordinal);
        var alert = Assert.Single(harness.Alerts.Published, a => a.Condition == AlertConditions.StartupFailed);
        Assert.Equal(AlertSeverity.Critical, alert.Severity);
        Assert.False(alert.Resolved);
        await worker.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Start_RecoveryFailsTwiceThenWorks_TheAlertResolvesAndTheDaemonRuns()
    {
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory());
        var journal = new UnreachableJournal(failures: 2);
        var (worker, failure, lifetime) = Worker(harness, journal, TimeSpan.FromMinutes(5));

        await worker.StartAsync(CancellationToken.None);
        await AdvanceUntilAsync(harness, () => harness.Alerts.Published.Any(a => a.Condition == AlertConditions.StartupFailed && a.Resolved));
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(3, journal.Calls);
        Assert.Null(failure.Reason);
        Assert.False(lifetime.Stopped);
        Assert.Equal([false, true], harness.Alerts.Published.Where(a => a.Condition == AlertConditions.StartupFailed).Select(a => a.Resolved));
    }

    private static (PipelineWorker Worker, StartupFailure Failure, StoppingLifetime Lifetime) Worker(PipelineHarness harness, IExecutionJournal journal, TimeSpan retryFor)
    {
        var executor = new PlanExecutor(harness.Datacenter.Hypervisor, journal, new ExecutorOptions(), harness.Clock, NullLogger<PlanExecutor>.Instance, new ExecutionObservers());
        var failure = new StartupFailure();
        var lifetime = new StoppingLifetime();
        var options = new PipelineOptions { StartupRetryFor = retryFor, Interval = TimeSpan.FromHours(1) };
        return (new PipelineWorker(harness.Pipeline, executor, options, harness.Clock, NullLogger<PipelineWorker>.Instance, harness.Alerts, failure, lifetime), failure, lifetime);
    }

    /// <summary>Moves the manual clock a second at a time, letting the worker's continuations run in between.</summary>
    private static async Task AdvanceUntilAsync(PipelineHarness harness, Func<bool> done)
    {
        for (var i = 0; i < 600 && !done(); i++)
        {
            await Task.Delay(10);
            harness.Clock.Advance(TimeSpan.FromMilliseconds(500));
        }

        Assert.True(done(), "the worker did not get there in 5 simulated minutes");
    }

    private sealed class UnreachableJournal(int failures) : IExecutionJournal
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task RecordAsync(JournalEntry entry, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<JournalEntry>> InFlightAsync(CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) <= failures
                ? Task.FromException<IReadOnlyList<JournalEntry>>(new IOException("libvirt: cannot connect to qemu:///system"))
                : Task.FromResult<IReadOnlyList<JournalEntry>>([]);

        public Task<IReadOnlyList<JournalEntry>> HistoryAsync(string target, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<JournalEntry>>([]);
    }

    private sealed class StoppingLifetime : IHostApplicationLifetime
    {
        public bool Stopped { get; private set; }

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Stopped = true;
    }
}
