using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Hypervisors;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;
using Predictor.Testing;

namespace Predictor.Execution.Tests.Executor;

/// <summary>
/// A step another process left Started whose migration the hypervisor still carries on (the process died, QEMU did not):
/// recovery follows it through the adapter (which adopts it) to its end, and stamps what it writes with its own token.
/// </summary>
public sealed class JournalRecoveryTests
{
    [Theory]
    [InlineData(true, "Completed", "recovered: the migration to h2 was still running; followed it to its end and the VM runs on h2")]
    [InlineData(false, "Failed", "recovered: the migration to h2 was still running and then failed: QEMU reports the migration failed; it will be planned again")]
    public async Task RecoverAsync_MigrationStillRunning_FollowsItInsteadOfStartingAnotherOne(bool succeeds, string state, string message)
    {
        var clock = new ManualTimeProvider();
        using var journal = new SqliteExecutionJournal(":memory:");
        var hypervisor = new StillMigrating(succeeds);
        await using var executor = new PlanExecutor(hypervisor, journal, new ExecutorOptions(), clock, NullLogger<PlanExecutor>.Instance, fencingToken: () => 7);
        await journal.RecordAsync(new JournalEntry("p1/v1", "p1", StepKind.LiveMigration, "v1", "h1", "h2", StepState.Started, clock.GetUtcNow()) { FencingToken = 6 }, default);

        Assert.Equal(1, await executor.RecoverAsync(default));

        Assert.Equal(1, hypervisor.Followed);
        var last = (await journal.HistoryAsync("v1", default))[^1];
        Assert.Equal((state, message, 7L), (last.State.ToString(), last.Message, last.FencingToken));
        Assert.Empty(await journal.InFlightAsync(default));
    }

    /// <summary>v1 is migrating from h1 to h2; asked to live-migrate it, the adapter follows that migration to its end.</summary>
    private sealed class StillMigrating(bool succeeds) : IHypervisor
    {
        public int Followed { get; private set; }

        public Task<VmRunState> GetStateAsync(string vm, string host, CancellationToken cancellationToken) => Task.FromResult(VmRunState.Migrating);

        public Task<MigrationResult> LiveMigrateAsync(string vm, string fromHost, string toHost, MigrationOptions options, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
        {
            Followed++;
            return succeeds
                ? Task.FromResult(new MigrationResult(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(20), 1 << 20))
                : Task.FromException<MigrationResult>(new HypervisorException("QEMU reports the migration failed"));
        }

        public Task<TimeSpan> ColdMigrateAsync(string vm, string fromHost, string toHost, CancellationToken cancellationToken) => throw new InvalidOperationException("not a cold move");

        public Task PauseAsync(string vm, string host, CancellationToken cancellationToken) => throw new InvalidOperationException("nothing to pause");

        public Task ResumeAsync(string vm, string host, CancellationToken cancellationToken) => throw new InvalidOperationException("nothing to resume");
    }
}
