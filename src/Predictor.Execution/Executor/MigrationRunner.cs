using Predictor.Core.Hypervisors;
using Predictor.Core.Plans;
using Predictor.Execution.Journal;

namespace Predictor.Execution.Executor;

/// <summary>Carries out one migration whose turn has come: journal, hypervisor call through the host guards, outcome.</summary>
internal sealed class MigrationRunner(StepServices services, StepActivity activity)
{
    /// <summary>Returns true when the VM now runs on the destination (or a dry run pretended so).</summary>
    public async Task<bool> RunAsync(MigrationStep m, string planId, string stepId, AbortToken abort)
    {
        var (options, time) = (services.Options, services.Time);
        var kind = m.Kind == MigrationKind.Live ? StepKind.LiveMigration : StepKind.ColdMigration;
        var entry = new JournalEntry(stepId, planId, kind, m.Vm, m.From, m.To, StepState.Started, time.GetUtcNow(), m.Reason)
        {
            FencingToken = services.FencingToken(),
        };
        using var span = StepTracing.Start(stepId, planId, kind, m.Vm, m.From, m.To);
        var started = time.GetTimestamp();
        if (options.DryRun)
        {
            Log.DryRun(services.Logger, kind.ToString(), m.Vm, m.From, m.To);
            return true;
        }

        // the step's deadline runs on the injected clock, like everything else it waits for
        using var deadline = new CancellationTokenSource(options.StepTimeout, time);
        try
        {
            await services.Journal.RecordAsync(entry, services.Stopping).ConfigureAwait(false);
            Log.MigrationStarting(services.Logger, m.Vm, kind.ToString(), m.From, m.To, m.Reason);
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(services.Stopping, abort.Token, deadline.Token);
            var blackout = await activity.Park(MigrateAsync(m, stepId, cancel.Token)).ConfigureAwait(false);
            var elapsed = time.GetElapsedTime(started);
            await services.FinishAsync(
                entry,
                new ExecutionOutcome(stepId, kind, m.Vm, m.From, m.To, true, elapsed, blackout, $"moved to {m.To}"),
                () => Log.MigrationCompleted(services.Logger, m.Vm, m.To, elapsed.TotalSeconds, blackout.TotalMilliseconds)).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !services.Stopping.IsCancellationRequested)
        {
            var (failure, message) = StepFailure.Of(e, () => abort.IsAborted
                ? (FailureKind.Aborted, $"aborted ({abort.Reason}); the migration was cancelled and the VM stays on {m.From}")
                : (FailureKind.TimedOut, $"timed out after {options.StepTimeout}; cancelled, the VM stays on {m.From}"));
            await services.FinishAsync(entry, new ExecutionOutcome(stepId, kind, m.Vm, m.From, m.To, false, time.GetElapsedTime(started), TimeSpan.Zero, message, failure)).ConfigureAwait(false);
            return false;
        }
    }

    private async Task<TimeSpan> MigrateAsync(MigrationStep m, string stepId, CancellationToken cancellationToken)
    {
        var hypervisor = services.Hypervisor;
        if (m.Kind == MigrationKind.Live)
        {
            var result = await services.Guards.ExecuteAsync(stepId, [m.To],
                t => new ValueTask<MigrationResult>(hypervisor.LiveMigrateAsync(m.Vm, m.From, m.To, new MigrationOptions(services.Options.MaxDowntime), null, t)), cancellationToken).ConfigureAwait(false);
            return result.Downtime;
        }

        return await services.Guards.ExecuteAsync(stepId, [m.To],
            t => new ValueTask<TimeSpan>(hypervisor.ColdMigrateAsync(m.Vm, m.From, m.To, t)), cancellationToken).ConfigureAwait(false);
    }
}
