using Predictor.Core.Hypervisors;
using Predictor.Execution.Journal;

namespace Predictor.Execution.Executor;

/// <summary>Reconciles the steps a previous process left Started with where the hypervisor says the VMs are.</summary>
internal sealed class JournalRecovery(StepServices services)
{
    /// <summary>
    /// How a journal written before <see cref="JournalEntry.PausedVms"/> listed them: in a host step's Started
    /// message. Still read, so a crash under the old version is recovered by the new one.
    /// </summary>
    private const string LegacyPausedPrefix = "staying: ";

    /// <param name="busy">Targets this executor is working on itself (a leader taking over again); their steps are not another process's.</param>
    public async Task<int> RecoverAsync(Func<string, bool> busy, CancellationToken cancellationToken)
    {
        var inFlight = (await services.Journal.InFlightAsync(cancellationToken).ConfigureAwait(false)).Where(s => !busy(s.Target)).ToList();
        foreach (var step in inFlight)
        {
            var (state, resolution) = step.Kind is StepKind.LiveMigration or StepKind.ColdMigration && step.To is not null
                ? await ReconcileMigrationAsync(step, step.To, cancellationToken).ConfigureAwait(false)
                : await ReconcileHostStepAsync(step, cancellationToken).ConfigureAwait(false);
            var recovered = step with { State = state, At = services.Time.GetUtcNow(), Message = "recovered: " + resolution, FencingToken = services.FencingToken() };
            await services.Journal.RecordAsync(recovered, cancellationToken).ConfigureAwait(false);
            Log.StepRecovered(services.Logger, step.StepId, step.Target, resolution);
        }

        return inFlight.Count;
    }

    private async Task<(StepState, string)> ReconcileMigrationAsync(JournalEntry step, string to, CancellationToken cancellationToken)
    {
        var hypervisor = services.Hypervisor;
        var atDestination = await hypervisor.GetStateAsync(step.Target, to, cancellationToken).ConfigureAwait(false);
        var atSource = await hypervisor.GetStateAsync(step.Target, step.From, cancellationToken).ConfigureAwait(false);
        if (atSource == VmRunState.Migrating)
        {
            return await FollowMigrationAsync(step, to, cancellationToken).ConfigureAwait(false);
        }

        if (atSource == VmRunState.Paused && atDestination != VmRunState.Running)
        {
            await hypervisor.ResumeAsync(step.Target, step.From, cancellationToken).ConfigureAwait(false);
        }

        return (atDestination, atSource) switch
        {
            (VmRunState.Running, _) => (StepState.Completed, $"the VM runs on {to}; the migration had finished"),
            (_, VmRunState.Running) => (StepState.Failed, $"the VM still runs on {step.From}; it will be planned again"),
            (_, VmRunState.Paused) => (StepState.Failed, $"the VM was paused on {step.From}; resumed there"),
            _ => (StepState.Failed, $"the VM is {atSource} on {step.From} and {atDestination} on {to}; needs an operator"),
        };
    }

    /// <summary>
    /// The process that started the migration died, but the hypervisor carries a migration on by itself: follow it to its
    /// end through the adapter, which adopts a migration in progress instead of starting another (a migration is never
    /// issued twice), bounded by <see cref="ExecutorOptions.StepTimeout"/>.
    /// </summary>
    private async Task<(StepState, string)> FollowMigrationAsync(JournalEntry step, string to, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(services.Options.StepTimeout, services.Time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            if (step.Kind == StepKind.LiveMigration)
            {
                await services.Hypervisor.LiveMigrateAsync(step.Target, step.From, to, new MigrationOptions(services.Options.MaxDowntime), null, bounded.Token).ConfigureAwait(false);
            }
            else
            {
                await services.Hypervisor.ColdMigrateAsync(step.Target, step.From, to, bounded.Token).ConfigureAwait(false);
            }

            return (StepState.Completed, $"the migration to {to} was still running; followed it to its end and the VM runs on {to}");
        }
        catch (HypervisorException e)
        {
            return (StepState.Failed, $"the migration to {to} was still running and then failed: {e.Message}; it will be planned again");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (StepState.Failed, $"the migration to {to} was still running and did not end within {services.Options.StepTimeout}; it will be planned again");
        }
    }

    /// <summary>
    /// Resumes the VMs a crashed memory-preserving step had paused, or reconciles each VM of a crashed hot restart to
    /// exactly one running process (the Started entry lists them).
    /// </summary>
    private async Task<(StepState, string)> ReconcileHostStepAsync(JournalEntry step, CancellationToken cancellationToken)
    {
        if (step.Kind == StepKind.HotRestart)
        {
            return await ReconcileHotRestartAsync(step, cancellationToken).ConfigureAwait(false);
        }

        var resumed = new List<string>();
        if (step.Kind == StepKind.MemoryPreserving)
        {
            foreach (var vm in PausedBy(step))
            {
                if (await services.Hypervisor.GetStateAsync(vm, step.Target, cancellationToken).ConfigureAwait(false) == VmRunState.Paused)
                {
                    await services.Hypervisor.ResumeAsync(vm, step.Target, cancellationToken).ConfigureAwait(false);
                    resumed.Add(vm);
                }
            }
        }

        return (StepState.Failed, "a host-maintenance step was interrupted; it will be planned again" +
            (resumed.Count == 0 ? "" : $"; resumed {string.Join(", ", resumed)}, left paused on {step.Target}"));
    }

    private async Task<(StepState, string)> ReconcileHotRestartAsync(JournalEntry step, CancellationToken cancellationToken)
    {
        if (services.Hypervisor is not IHotRestartHypervisor hot)
        {
            return (StepState.Failed, $"a hot restart was interrupted but the {services.Hypervisor.GetType().Name} adapter cannot reconcile one; check {string.Join(", ", step.PausedVms)} on {step.Target} by hand");
        }

        var found = new List<string>();
        foreach (var vm in step.PausedVms.IsDefault ? [] : step.PausedVms)
        {
            found.Add(await hot.ReconcileHotRestartAsync(vm, step.Target, cancellationToken).ConfigureAwait(false));
        }

        return (StepState.Failed, "a hot restart was interrupted; it will be planned again" + (found.Count == 0 ? "" : "; " + string.Join("; ", found)));
    }

    private static IEnumerable<string> PausedBy(JournalEntry step) =>
        !step.PausedVms.IsDefaultOrEmpty ? step.PausedVms
        : step.Message is { } message && message.StartsWith(LegacyPausedPrefix, StringComparison.Ordinal)
            ? message[LegacyPausedPrefix.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries)
            : [];
}
