using Predictor.Core.Hypervisors;
using Predictor.Core.Plans;
using Predictor.Execution.Journal;
using Predictor.Execution.Updates;

namespace Predictor.Execution.Executor;

/// <summary>
/// Carries out one host step whose turn has come: refuses it when the host is not as the plan left it, pauses
/// the staying VMs of a memory-preserving or self-service update or hot-restarts them after a hypervisor update,
/// applies the update, and always resumes what it paused. A hot restart the hypervisor cannot do falls to memory-preserving
/// maintenance when every staying VM allows it, and is refused otherwise.
/// </summary>
internal sealed class HostMaintenanceRunner(StepServices services, StepActivity activity, IHostUpdater updater)
{
    /// <summary>The host steps the executor carries out: every rung (a self-service step is submitted once its owners' moment has come).</summary>
    public static bool IsExecuted(MaintenanceAction action) =>
        action is MaintenanceAction.HotPatch or MaintenanceAction.HotRestart or MaintenanceAction.MemoryPreserving or MaintenanceAction.LiveMigration or MaintenanceAction.SelfService;

    /// <summary>Rungs whose staying VMs are held (paused) through the update and resumed after it.</summary>
    private static bool HoldsStaying(MaintenanceAction action) => action is MaintenanceAction.MemoryPreserving or MaintenanceAction.SelfService;

    private static StepKind KindOf(MaintenanceAction action) => action switch
    {
        MaintenanceAction.HotPatch => StepKind.HotPatch,
        MaintenanceAction.HotRestart => StepKind.HotRestart,
        MaintenanceAction.MemoryPreserving => StepKind.MemoryPreserving,
        MaintenanceAction.SelfService => StepKind.SelfService,
        _ => StepKind.HostUpdate,
    };

    public async Task RunAsync(HostWork work, string planId, AbortToken abort)
    {
        var (step, time, logger) = (work.Step, services.Time, services.Logger);
        var stepId = $"{planId}/{step.Host}";
        if (services.Options.DryRun)
        {
            Log.DryRun(logger, KindOf(step.Action).ToString(), step.Host, step.Host, step.Host);
            return;
        }

        var started = time.GetTimestamp();
        var (action, refusal) = await RungAsync(work).ConfigureAwait(false);
        var kind = KindOf(action);
        // the VMs the step pauses or swaps are journalled, so a restart after a crash can resume or reconcile them
        var entry = new JournalEntry(stepId, planId, kind, step.Host, step.Host, null, StepState.Started, time.GetUtcNow())
        {
            PausedVms = HoldsStaying(action) || action == MaintenanceAction.HotRestart ? [.. work.Staying] : [],
            FencingToken = services.FencingToken(),
        };
        using var span = StepTracing.Start(entry.StepId, planId, kind, null, step.Host, null);
        ExecutionOutcome Outcome(bool succeeded, TimeSpan blackout, string message, FailureKind? failure = null) =>
            new(entry.StepId, kind, step.Host, step.Host, null, succeeded, time.GetElapsedTime(started), blackout, message, failure);
        if ((refusal ?? await RefusalAsync(work).ConfigureAwait(false)) is { } refused)
        {
            await services.FinishAsync(entry, Outcome(false, TimeSpan.Zero, refused, FailureKind.Refused)).ConfigureAwait(false);
            return;
        }

        await services.Journal.RecordAsync(entry, services.Stopping).ConfigureAwait(false);
        var paused = new List<string>();
        var restarts = new List<HotRestartResult>();
        var pauseStarted = time.GetTimestamp();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(services.Stopping, abort.Token);
        try
        {
            await activity.Park(ApplyAsync(work, action, entry.StepId, paused, restarts, cancel.Token)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !services.Stopping.IsCancellationRequested)
        {
            var (failure, message) = StepFailure.Of(e, () => (FailureKind.Aborted, $"aborted ({abort.Reason}); its {paused.Count} paused VMs are resumed"));
            await ResumeAllAsync(paused, step.Host).ConfigureAwait(false);
            var swapped = restarts.Count == 0 ? "" : $" ({restarts.Count} of its {work.Staying.Length} VMs had been hot-restarted)";
            await services.FinishAsync(entry, Outcome(false, TimeSpan.Zero, message + swapped, failure)).ConfigureAwait(false);
            return;
        }
        catch
        {
            await ResumeAllAsync(paused, step.Host).ConfigureAwait(false);
            throw;
        }

        // never leave a VM paused: resume whatever was paused before the step counts as done
        var pausedCount = paused.Count;
        await ResumeAllAsync(paused, step.Host).ConfigureAwait(false);
        var blackouts = restarts.Select(r => r.Blackout.TotalMilliseconds).Order().ToArray();
        var pause = action switch
        {
            MaintenanceAction.MemoryPreserving or MaintenanceAction.SelfService => time.GetElapsedTime(pauseStarted),
            MaintenanceAction.HotRestart when blackouts.Length > 0 => TimeSpan.FromMilliseconds(blackouts[^1]),
            _ => TimeSpan.Zero,
        };
        var median = blackouts.Length == 0 ? 0 : blackouts[blackouts.Length / 2];
        var (text, logSuccess) = action switch
        {
            MaintenanceAction.HotPatch => ("hot-patched", (Action)(() => Log.HotPatchApplied(logger, step.Host))),
            MaintenanceAction.HotRestart => ($"{restarts.Count} VMs hot-restarted into new hypervisor processes, blackout max {pause.TotalMilliseconds:0.#} ms",
                () => Log.HotRestartCompleted(logger, step.Host, restarts.Count, median, pause.TotalMilliseconds)),
            MaintenanceAction.MemoryPreserving => ($"{pausedCount} VMs paused and resumed", () => Log.MemoryPreservingCompleted(logger, step.Host, pausedCount, pause.TotalMilliseconds)),
            MaintenanceAction.SelfService => ($"restarted at its owners' moment; {pausedCount} VMs held through it", () => Log.SelfServiceCompleted(logger, step.Host, pausedCount, pause.TotalMilliseconds)),
            _ => ($"updated empty after {work.Leavers.Length} VMs left", () => Log.EmptyHostUpdated(logger, step.Host, work.UpdateId ?? "?", work.Leavers.Length)),
        };
        await services.FinishAsync(entry, Outcome(true, pause, text), logSuccess).ConfigureAwait(false);
    }

    /// <summary>
    /// The rung the step really takes: the planned one, except that a hot restart the hypervisor cannot do now falls to
    /// memory-preserving maintenance when every staying VM can pause in memory, and is refused (with why) otherwise.
    /// </summary>
    private async Task<(MaintenanceAction Action, string? Refusal)> RungAsync(HostWork work)
    {
        var step = work.Step;
        if (step.Action != MaintenanceAction.HotRestart || work.Staying.Length == 0)
        {
            return (step.Action, null);
        }

        string? blocker = null;
        if (services.Hypervisor is not IHotRestartHypervisor hot)
        {
            blocker = $"the {services.Hypervisor.GetType().Name} adapter cannot hot-restart VMs";
        }
        else
        {
            foreach (var vm in work.Staying)
            {
                if ((blocker = await hot.HotRestartBlockerAsync(vm, step.Host, services.Stopping).ConfigureAwait(false)) is not null)
                {
                    break;
                }
            }
        }

        if (blocker is null)
        {
            return (MaintenanceAction.HotRestart, null);
        }

        if (work.StayingCanPause)
        {
            Log.HotRestartFellBack(services.Logger, step.Host, blocker, "memory-preserving");
            return (MaintenanceAction.MemoryPreserving, null);
        }

        return (MaintenanceAction.HotRestart, $"no hot restart on {step.Host}: {blocker}; not every staying VM can pause in memory either, so the update was not applied and will be planned again");
    }

    /// <summary>
    /// Pauses the staying VMs of a memory-preserving step, then applies the update; for a hot restart applies the
    /// update first (the new hypervisor is installed) and then swaps each staying VM into a new process; all through
    /// the host's guard.
    /// </summary>
    private Task<bool> ApplyAsync(HostWork work, MaintenanceAction action, string stepId, List<string> paused, List<HotRestartResult> restarts, CancellationToken cancellationToken)
    {
        var step = work.Step;
        // a memory-preserving update takes the planned pause; the others the step's planned length
        var planned = action == MaintenanceAction.MemoryPreserving && step.Action == MaintenanceAction.MemoryPreserving && step.VmPauseMs > 0
            ? TimeSpan.FromMilliseconds(step.VmPauseMs)
            : TimeSpan.FromSeconds(Math.Max(0, step.EndS - step.StartS));
        // paused VMs must not wait out a retry delay, and a VM swapped once is not swapped again: these are tried once, then planned again
        return services.Guards.ExecuteAsync(stepId, [step.Host], async t =>
        {
            if (HoldsStaying(action))
            {
                foreach (var vm in work.Staying)
                {
                    await services.Hypervisor.PauseAsync(vm, step.Host, t).ConfigureAwait(false);
                    paused.Add(vm);
                }
            }

            await updater.ApplyAsync(new HostUpdateRequest(step.Host, work.UpdateId, action, planned), t).ConfigureAwait(false);
            if (action == MaintenanceAction.HotRestart && services.Hypervisor is IHotRestartHypervisor hot)
            {
                foreach (var vm in work.Staying)
                {
                    restarts.Add(await hot.HotRestartAsync(vm, step.Host, t).ConfigureAwait(false));
                }
            }

            return true;
        }, cancellationToken, retry: !HoldsStaying(action) && action != MaintenanceAction.HotRestart);
    }

    /// <summary>Why the host must not be touched: a leaver the hypervisor still reports on it, or VMs staying through an update that needs it empty.</summary>
    private async Task<string?> RefusalAsync(HostWork work)
    {
        var host = work.Step.Host;
        var stillThere = new List<string>();
        foreach (var vm in work.Leavers)
        {
            if (await services.Hypervisor.GetStateAsync(vm, host, services.Stopping).ConfigureAwait(false) is not (VmRunState.Absent or VmRunState.Stopped or VmRunState.PostMigrate))
            {
                stillThere.Add(vm);
            }
        }

        return stillThere.Count > 0
            ? $"{string.Join(", ", stillThere)} did not leave {host}; its update was not applied and will be planned again"
            : work.Step.Action == MaintenanceAction.LiveMigration && work.Staying.Length > 0
                ? $"{string.Join(", ", work.Staying)} would stay on {host} through an update that needs it empty; the update was not applied"
                : null;
    }

    private async Task ResumeAllAsync(List<string> paused, string host)
    {
        foreach (var vm in paused)
        {
            await services.Hypervisor.ResumeAsync(vm, host, CancellationToken.None).ConfigureAwait(false);
        }

        paused.Clear();
    }
}
