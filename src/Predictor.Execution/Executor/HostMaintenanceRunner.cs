using Predictor.Core.Hypervisors;
using Predictor.Core.Plans;
using Predictor.Execution.Journal;
using Predictor.Execution.Updates;

namespace Predictor.Execution.Executor;

/// <summary>
/// Carries out one host step whose turn has come: refuses it when the host is not as the plan left it, pauses
/// the staying VMs of a memory-preserving or self-service update, applies the update, and always resumes what it paused.
/// </summary>
internal sealed class HostMaintenanceRunner(StepServices services, StepActivity activity, IHostUpdater updater)
{
    /// <summary>The host steps the executor carries out: every rung (a self-service step is submitted once its owners' moment has come).</summary>
    public static bool IsExecuted(MaintenanceAction action) =>
        action is MaintenanceAction.HotPatch or MaintenanceAction.MemoryPreserving or MaintenanceAction.LiveMigration or MaintenanceAction.SelfService;

    /// <summary>Rungs whose staying VMs are held (paused) through the update and resumed after it.</summary>
    private static bool HoldsStaying(MaintenanceAction action) => action is MaintenanceAction.MemoryPreserving or MaintenanceAction.SelfService;

    private static StepKind KindOf(MaintenanceAction action) => action switch
    {
        MaintenanceAction.HotPatch => StepKind.HotPatch,
        MaintenanceAction.MemoryPreserving => StepKind.MemoryPreserving,
        MaintenanceAction.SelfService => StepKind.SelfService,
        _ => StepKind.HostUpdate,
    };

    public async Task RunAsync(HostWork work, string planId, AbortToken abort)
    {
        var (step, time, logger) = (work.Step, services.Time, services.Logger);
        var kind = KindOf(step.Action);
        // the VMs the memory-preserving step pauses are journalled, so a restart after a crash can resume them
        var entry = new JournalEntry($"{planId}/{step.Host}", planId, kind, step.Host, step.Host, null, StepState.Started, time.GetUtcNow())
        {
            PausedVms = HoldsStaying(step.Action) ? [.. work.Staying] : [],
        };
        using var span = StepTracing.Start(entry.StepId, planId, kind, null, step.Host, null);
        var started = time.GetTimestamp();
        ExecutionOutcome Outcome(bool succeeded, TimeSpan blackout, string message, FailureKind? failure = null) =>
            new(entry.StepId, kind, step.Host, step.Host, null, succeeded, time.GetElapsedTime(started), blackout, message, failure);
        if (services.Options.DryRun)
        {
            Log.DryRun(logger, kind.ToString(), step.Host, step.Host, step.Host);
            return;
        }

        if (await RefusalAsync(work).ConfigureAwait(false) is { } refusal)
        {
            await services.FinishAsync(entry, Outcome(false, TimeSpan.Zero, refusal, FailureKind.Refused)).ConfigureAwait(false);
            return;
        }

        await services.Journal.RecordAsync(entry, services.Stopping).ConfigureAwait(false);
        var paused = new List<string>();
        var pauseStarted = time.GetTimestamp();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(services.Stopping, abort.Token);
        try
        {
            await activity.Park(ApplyAsync(work, entry.StepId, paused, cancel.Token)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !services.Stopping.IsCancellationRequested)
        {
            var (failure, message) = StepFailure.Of(e, () => (FailureKind.Aborted, $"aborted ({abort.Reason}); its {paused.Count} paused VMs are resumed"));
            await ResumeAllAsync(paused, step.Host).ConfigureAwait(false);
            await services.FinishAsync(entry, Outcome(false, TimeSpan.Zero, message, failure)).ConfigureAwait(false);
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
        var pause = HoldsStaying(step.Action) ? time.GetElapsedTime(pauseStarted) : TimeSpan.Zero;
        var (text, logSuccess) = step.Action switch
        {
            MaintenanceAction.HotPatch => ("hot-patched", (Action)(() => Log.HotPatchApplied(logger, step.Host))),
            MaintenanceAction.MemoryPreserving => ($"{pausedCount} VMs paused and resumed", () => Log.MemoryPreservingCompleted(logger, step.Host, pausedCount, pause.TotalMilliseconds)),
            MaintenanceAction.SelfService => ($"restarted at its owners' moment; {pausedCount} VMs held through it", () => Log.SelfServiceCompleted(logger, step.Host, pausedCount, pause.TotalMilliseconds)),
            _ => ($"updated empty after {work.Leavers.Length} VMs left", () => Log.EmptyHostUpdated(logger, step.Host, work.UpdateId ?? "?", work.Leavers.Length)),
        };
        await services.FinishAsync(entry, Outcome(true, pause, text), logSuccess).ConfigureAwait(false);
    }

    /// <summary>Pauses the staying VMs of a memory-preserving step, then applies the update, through the host's guard.</summary>
    private Task<bool> ApplyAsync(HostWork work, string stepId, List<string> paused, CancellationToken cancellationToken)
    {
        var step = work.Step;
        // a memory-preserving update takes the planned pause; the others the step's planned length
        var planned = step.Action == MaintenanceAction.MemoryPreserving && step.VmPauseMs > 0
            ? TimeSpan.FromMilliseconds(step.VmPauseMs)
            : TimeSpan.FromSeconds(Math.Max(0, step.EndS - step.StartS));
        // paused VMs must not wait out a retry delay: a memory-preserving step is tried once, then planned again
        return services.Guards.ExecuteAsync(stepId, [step.Host], async t =>
        {
            if (HoldsStaying(step.Action))
            {
                foreach (var vm in work.Staying)
                {
                    await services.Hypervisor.PauseAsync(vm, step.Host, t).ConfigureAwait(false);
                    paused.Add(vm);
                }
            }

            await updater.ApplyAsync(new HostUpdateRequest(step.Host, work.UpdateId, step.Action, planned), t).ConfigureAwait(false);
            return true;
        }, cancellationToken, retry: !HoldsStaying(step.Action));
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
