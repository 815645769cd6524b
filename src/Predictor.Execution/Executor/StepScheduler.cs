using System.Collections.Concurrent;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Execution.Time;

namespace Predictor.Execution.Executor;

/// <summary>
/// Turns a plan into running steps: one task per VM (its moves in order) and per host step, each waiting for its
/// planned start, the moves off its host and its concurrency slots before a runner carries it out. Owns the
/// running set, the pause, the kill switch and the accounting of which steps are active.
/// </summary>
internal sealed class StepScheduler(StepServices services, StepActivity activity, MigrationRunner migrations, HostMaintenanceRunner maintenance) : IDisposable
{
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _moves = new(StringComparer.Ordinal);
    private readonly AbortSwitch _abort = new();
    private ConcurrencyGate? _gate;

    /// <inheritdoc cref="PlanExecutor.Paused"/>
    public bool Paused { get; set; }

    public int RunningSteps => _running.Count;

    public IReadOnlyDictionary<string, string> InFlightMoves => _moves;

    public bool IsBusy(string target) => _running.ContainsKey(target);

    /// <inheritdoc cref="PlanExecutor.Submit"/>
    public int Submit(MaintenancePlan plan, DatacenterInventory inventory, string planId, DateTimeOffset planStart, IReadOnlyDictionary<string, string>? updateIds)
    {
        _gate ??= new ConcurrencyGate(plan.Limits.MaxConcurrent, plan.Limits.MaxOutboundPerHost, plan.Limits.MaxInboundPerHost);
        if (Paused)
        {
            var candidates = plan.Migrations.Count(m => !IsBusy(m.Vm)) +
                plan.Maintenance.Count(m => HostMaintenanceRunner.IsExecuted(m.Action) && !IsBusy(m.Host));
            Log.PausedSkipped(services.Logger, candidates, planId);
            return 0;
        }

        var scheduled = 0;
        // a VM the plan moves twice (an evacuee landing on a host the rollout then empties) moves in order, in one task
        foreach (var moves in plan.Migrations.GroupBy(m => m.Vm, StringComparer.Ordinal))
        {
            var chain = moves.ToArray();
            scheduled += TrySchedule(moves.Key, () => MigrateChainAsync(chain, planId, planStart), chain[^1].To) ? chain.Length : 0;
        }

        var leaving = plan.Migrations.ToLookup(m => m.From, StringComparer.Ordinal);
        foreach (var step in plan.Maintenance.Where(s => HostMaintenanceRunner.IsExecuted(s.Action)))
        {
            var leavers = leaving[step.Host].Select(m => m.Vm).ToHashSet(StringComparer.Ordinal);
            var stayingVms = inventory.VmsOn(step.Host).Where(v => !leavers.Contains(v.Id)).ToArray();
            var staying = stayingVms.Select(v => v.Id).ToArray();
            var waitFor = leavers.Select(v => _running.TryGetValue(v, out var t) ? t : Task.CompletedTask).ToArray();
            var work = new HostWork(step, updateIds?.GetValueOrDefault(step.Host), [.. leavers], staying, waitFor, stayingVms.All(v => v.MemoryPreservingCapable));
            scheduled += TrySchedule(step.Host, () => MaintainAsync(work, planId, planStart)) ? 1 : 0;
        }

        return scheduled;
    }

    /// <inheritdoc cref="PlanExecutor.DrainAsync"/>
    public Task DrainAsync() => Task.WhenAll(_running.Values);

    /// <inheritdoc cref="PlanExecutor.AbortRunning"/>
    public void AbortRunning(string reason)
    {
        Log.Aborting(services.Logger, _running.Count, reason);
        _abort.Abort(reason);
    }

    public void Dispose() => _abort.Dispose();

    /// <summary>Starts the target's step unless one is scheduled or running already; it counts as active until it first parks.</summary>
    /// <param name="movesTo">For a VM's moves, where the last one takes it (planners count it there from now on).</param>
    private bool TrySchedule(string target, Func<Task> step, string? movesTo = null)
    {
        var done = new TaskCompletionSource();
        if (!_running.TryAdd(target, done.Task))
        {
            return false;
        }

        if (movesTo is not null)
        {
            _moves[target] = movesTo;
        }

        activity.Enter();
        _ = RunAsync(target, done, step);
        return true;
    }

    private async Task RunAsync(string target, TaskCompletionSource done, Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (services.Stopping.IsCancellationRequested)
        {
            // shutdown; the journal keeps the step as Started for recovery
        }
        catch (Journal.FencedWriteException e)
        {
            // a newer leader holds the lease: this step's journal entry was refused (nothing it did after is unrecorded)
            Log.StepFenced(services.Logger, target, e.Message);
        }
        catch (Exception e)
        {
            // a fire-and-forget step must never fault unobserved: say which step broke and how
            Log.StepCrashed(services.Logger, target, e);
        }
        finally
        {
            _moves.TryRemove(target, out _);
            _running.TryRemove(target, out _);
            // the steps waiting for this one are unparked (synchronously) before it stops counting as active
            done.TrySetResult();
            activity.Exit();
        }
    }

    private async Task MigrateChainAsync(MigrationStep[] chain, string planId, DateTimeOffset planStart)
    {
        for (var i = 0; i < chain.Length; i++)
        {
            var m = chain[i];
            var stepId = i == 0 ? $"{planId}/{m.Vm}" : $"{planId}/{m.Vm}#{i + 1}";
            var abort = _abort.Take();
            var (start, slots) = await WaitForTurnAsync(stepId, m.Vm, planStart, m.StartS, (m.From, m.To), [], abort).ConfigureAwait(false);
            if (!start)
            {
                return;
            }

            using (slots)
            {
                // a later move starts only from where the earlier one left the VM
                if (!await migrations.RunAsync(m, planId, stepId, abort).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
    }

    private async Task MaintainAsync(HostWork work, string planId, DateTimeOffset planStart)
    {
        var abort = _abort.Take();
        var (start, _) = await WaitForTurnAsync($"{planId}/{work.Step.Host}", work.Step.Host, planStart, work.Step.StartS, null, work.WaitFor, abort).ConfigureAwait(false);
        if (start)
        {
            await maintenance.RunAsync(work, planId, abort).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for the step's planned start, what it must wait for (the moves off a host), and for a migration its
    /// concurrency slots, parked on each. Returns false (nothing started, nothing journalled) when the executor is
    /// paused by then or the wait was aborted.
    /// </summary>
    private async Task<(bool Start, IDisposable? Slots)> WaitForTurnAsync(
        string stepId, string target, DateTimeOffset planStart, double offsetSeconds, (string From, string To)? move, Task[] after, AbortToken abort)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(services.Stopping, abort.Token);
        IDisposable? slots = null;
        try
        {
            var delay = planStart.AddSeconds(offsetSeconds) - services.Time.GetUtcNow();
            if (delay > TimeSpan.Zero)
            {
                await activity.Park(InlineWait.Delay(services.Time, delay, waiting.Token)).ConfigureAwait(false);
            }

            await activity.Park(InlineWait.WithCancellation(Task.WhenAll(after), waiting.Token)).ConfigureAwait(false);
            if (move is { } m)
            {
                slots = await activity.Park(_gate!.AcquireAsync(m.From, m.To, waiting.Token)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (abort.IsAborted && !services.Stopping.IsCancellationRequested)
        {
            Log.PausedDropped(services.Logger, stepId, target);
            return (false, null);
        }

        if (Paused)
        {
            slots?.Dispose();
            Log.PausedDropped(services.Logger, stepId, target);
            return (false, null);
        }

        return (true, slots);
    }
}
