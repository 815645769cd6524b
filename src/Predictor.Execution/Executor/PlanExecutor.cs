using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Predictor.Core.Hypervisors;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Execution.Journal;

namespace Predictor.Execution.Executor;

/// <summary>
/// Carries plans out on a hypervisor. Every step is journalled as Started before the hypervisor is
/// called and as Completed or Failed after, so <see cref="RecoverAsync"/> can reconcile a crash. Steps
/// start at their planned time and never exceed the plan's per-host and datacenter concurrency limits.
/// A VM or host already busy with a step is skipped, so submitting the same plan twice does nothing twice.
/// </summary>
public sealed class PlanExecutor(
    IHypervisor hypervisor,
    IExecutionJournal journal,
    ExecutorOptions options,
    TimeProvider timeProvider,
    ILogger<PlanExecutor> logger,
    IExecutionObserver? observer = null) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _moves = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<CancellationTokenSource> _aborted = [];
    private readonly object _abortGate = new();
    private CancellationTokenSource _abort = new();
    private string _abortReason = "";
    private ConcurrencyGate? _gate;

    /// <summary>
    /// While true no new step starts: plans are not scheduled, and a step already scheduled but not yet started
    /// (waiting for its planned time or a concurrency slot) is dropped when its turn comes. Running steps finish.
    /// </summary>
    public bool Paused { get; set; }

    /// <summary>True while a step for this VM or host is scheduled or running.</summary>
    public bool IsBusy(string target) => _running.ContainsKey(target);

    public int RunningSteps => _running.Count;

    /// <summary>Migrations scheduled or running: VM id → destination host. Planners count these VMs on their destination.</summary>
    public IReadOnlyDictionary<string, string> InFlightMoves => _moves;

    /// <summary>Reconciles steps a previous process left Started: asks the hypervisor where the VM is now.</summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var inFlight = await journal.InFlightAsync(cancellationToken).ConfigureAwait(false);
        foreach (var step in inFlight)
        {
            string resolution;
            var state = StepState.Failed;
            if (step.Kind is StepKind.LiveMigration or StepKind.ColdMigration && step.To is not null)
            {
                var atDestination = await hypervisor.GetStateAsync(step.Target, step.To, cancellationToken).ConfigureAwait(false);
                var atSource = await hypervisor.GetStateAsync(step.Target, step.From, cancellationToken).ConfigureAwait(false);
                (state, resolution) = (atDestination, atSource) switch
                {
                    (VmRunState.Running, _) => (StepState.Completed, $"the VM runs on {step.To}; the migration had finished"),
                    (_, VmRunState.Running) => (StepState.Failed, $"the VM still runs on {step.From}; it will be planned again"),
                    (_, VmRunState.Paused) => (StepState.Failed, $"the VM was paused on {step.From}; resumed there"),
                    _ => (StepState.Failed, $"the VM is {atSource} on {step.From} and {atDestination} on {step.To}; needs an operator"),
                };
                if (atSource == VmRunState.Paused && atDestination != VmRunState.Running)
                {
                    await hypervisor.ResumeAsync(step.Target, step.From, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                resolution = "a host-maintenance step was interrupted; it will be planned again";
            }

            await journal.RecordAsync(step with { State = state, At = timeProvider.GetUtcNow(), Message = "recovered: " + resolution }, cancellationToken).ConfigureAwait(false);
            Log.StepRecovered(logger, step.StepId, step.Target, resolution);
        }

        return inFlight.Count;
    }

    /// <summary>Schedules the plan's migrations and host maintenance. Returns how many steps were scheduled.</summary>
    /// <param name="plan">The plan; times are seconds from <paramref name="planStart"/>.</param>
    /// <param name="inventory">The inventory the plan was made from (the VMs on each host).</param>
    /// <param name="planId">Unique per plan; step ids derive from it.</param>
    /// <param name="planStart">The moment the plan's time zero refers to.</param>
    public int Submit(MaintenancePlan plan, DatacenterInventory inventory, string planId, DateTimeOffset planStart)
    {
        _gate ??= new ConcurrencyGate(plan.Limits.MaxConcurrent, plan.Limits.MaxOutboundPerHost, plan.Limits.MaxInboundPerHost);
        var candidates = plan.Migrations.Count(m => !IsBusy(m.Vm)) +
            plan.Maintenance.Count(m => m.Action is MaintenanceAction.HotPatch or MaintenanceAction.MemoryPreserving && !IsBusy(m.Host));
        if (Paused)
        {
            Log.PausedSkipped(logger, candidates, planId);
            return 0;
        }

        var scheduled = 0;
        foreach (var m in plan.Migrations)
        {
            if (_running.ContainsKey(m.Vm))
            {
                continue;
            }

            var gate = new TaskCompletionSource();
            if (_running.TryAdd(m.Vm, gate.Task))
            {
                scheduled++;
                _moves[m.Vm] = m.To;
                _ = RunAsync(m.Vm, gate, () => MigrateAsync(m, planId, planStart));
            }
        }

        foreach (var step in plan.Maintenance.Where(s => s.Action is MaintenanceAction.HotPatch or MaintenanceAction.MemoryPreserving))
        {
            var gate = new TaskCompletionSource();
            if (_running.TryAdd(step.Host, gate.Task))
            {
                scheduled++;
                var vms = inventory.VmsOn(step.Host).Select(v => v.Id).ToArray();
                _ = RunAsync(step.Host, gate, () => MaintainAsync(step, vms, planId, planStart));
            }
        }

        return scheduled;
    }

    /// <summary>Waits until every scheduled step has finished.</summary>
    public Task DrainAsync() => Task.WhenAll(_running.Values);

    /// <summary>
    /// Cancels every running step now (a kill switch): a live migration is cancelled so the VM keeps running on
    /// its source, paused VMs are resumed, and each step is journalled Failed with <paramref name="reason"/>.
    /// Combine with <see cref="Paused"/> so that nothing new starts.
    /// </summary>
    public void AbortRunning(string reason)
    {
        CancellationTokenSource aborted;
        lock (_abortGate)
        {
            _abortReason = reason;
            aborted = _abort;
            _aborted.Add(aborted);
            _abort = new CancellationTokenSource();
        }

        Log.Aborting(logger, _running.Count, reason);
        aborted.Cancel();
    }

    private (CancellationToken Token, Func<string> Reason) AbortToken()
    {
        lock (_abortGate)
        {
            return (_abort.Token, () => _abortReason);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await DrainAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // shutting down: steps end where they are; the journal says which were in flight
        }

        _stopping.Dispose();
        lock (_abortGate)
        {
            _abort.Dispose();
            _aborted.ForEach(a => a.Dispose());
        }
    }

    private async Task RunAsync(string key, TaskCompletionSource gate, Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // shutdown; the journal keeps the step as Started for recovery
        }
        catch (Exception e)
        {
            // a fire-and-forget step must never fault unobserved: say which step broke and how
            Log.StepCrashed(logger, key, e);
        }
        finally
        {
            _moves.TryRemove(key, out _);
            _running.TryRemove(key, out _);
            gate.TrySetResult();
        }
    }

    private async Task WaitUntilAsync(DateTimeOffset planStart, double offsetSeconds, CancellationToken cancellationToken)
    {
        var delay = planStart.AddSeconds(offsetSeconds) - timeProvider.GetUtcNow();
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for the step's planned start and, for a migration, its concurrency slots. Returns false (nothing started,
    /// nothing journalled) when the executor is paused by then or the wait was aborted.
    /// </summary>
    private async Task<(bool Start, IDisposable? Slots)> WaitForTurnAsync(string stepId, string target, DateTimeOffset planStart, double offsetSeconds, (string From, string To)? move, CancellationToken abort)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, abort);
        IDisposable? slots = null;
        try
        {
            await WaitUntilAsync(planStart, offsetSeconds, waiting.Token).ConfigureAwait(false);
            if (move is { } m)
            {
                slots = await _gate!.AcquireAsync(m.From, m.To, waiting.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested && !_stopping.IsCancellationRequested)
        {
            Log.PausedDropped(logger, stepId, target);
            return (false, null);
        }

        if (Paused)
        {
            slots?.Dispose();
            Log.PausedDropped(logger, stepId, target);
            return (false, null);
        }

        return (true, slots);
    }

    private async Task MigrateAsync(MigrationStep m, string planId, DateTimeOffset planStart)
    {
        var abort = AbortToken();
        var (start, slots) = await WaitForTurnAsync($"{planId}/{m.Vm}", m.Vm, planStart, m.StartS, (m.From, m.To), abort.Token).ConfigureAwait(false);
        if (!start)
        {
            return;
        }

        using var held = slots;
        var kind = m.Kind == MigrationKind.Live ? StepKind.LiveMigration : StepKind.ColdMigration;
        var entry = new JournalEntry($"{planId}/{m.Vm}", planId, kind, m.Vm, m.From, m.To, StepState.Started, timeProvider.GetUtcNow(), m.Reason);
        var started = timeProvider.GetTimestamp();
        try
        {
            if (options.DryRun)
            {
                Log.DryRun(logger, kind.ToString(), m.Vm, m.From, m.To);
                return;
            }

            await journal.RecordAsync(entry, _stopping.Token).ConfigureAwait(false);
            Log.MigrationStarting(logger, m.Vm, kind.ToString(), m.From, m.To, m.Reason);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, abort.Token);
            timeout.CancelAfter(options.StepTimeout);
            TimeSpan blackout;
            if (m.Kind == MigrationKind.Live)
            {
                var result = await hypervisor.LiveMigrateAsync(m.Vm, m.From, m.To, new MigrationOptions(options.MaxDowntime), null, timeout.Token).ConfigureAwait(false);
                blackout = result.Downtime;
            }
            else
            {
                blackout = await hypervisor.ColdMigrateAsync(m.Vm, m.From, m.To, timeout.Token).ConfigureAwait(false);
            }

            var elapsed = timeProvider.GetElapsedTime(started);
            await journal.RecordAsync(entry with { State = StepState.Completed, At = timeProvider.GetUtcNow(), Message = null }, CancellationToken.None).ConfigureAwait(false);
            Log.MigrationCompleted(logger, m.Vm, m.To, elapsed.TotalSeconds, blackout.TotalMilliseconds);
            observer?.OnStepFinished(new ExecutionOutcome(entry.StepId, kind, m.Vm, m.From, m.To, true, elapsed, blackout, $"moved to {m.To}"));
        }
        catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            // HypervisorException says where the VM is; anything else from an adapter is reported as it is
            var message = e switch
            {
                OperationCanceledException when abort.Token.IsCancellationRequested => $"aborted ({abort.Reason()}); the migration was cancelled and the VM stays on {m.From}",
                OperationCanceledException => $"timed out after {options.StepTimeout}; cancelled, the VM stays on {m.From}",
                HypervisorException => e.Message,
                _ => $"{e.GetType().Name}: {e.Message}",
            };
            await journal.RecordAsync(entry with { State = StepState.Failed, At = timeProvider.GetUtcNow(), Message = message }, CancellationToken.None).ConfigureAwait(false);
            Log.StepFailed(logger, entry.StepId, m.Vm, message);
            observer?.OnStepFinished(new ExecutionOutcome(entry.StepId, kind, m.Vm, m.From, m.To, false, timeProvider.GetElapsedTime(started), TimeSpan.Zero, message));
        }
    }

    private async Task MaintainAsync(MaintenanceStep step, string[] vms, string planId, DateTimeOffset planStart)
    {
        var abort = AbortToken();
        var (start, _) = await WaitForTurnAsync($"{planId}/{step.Host}", step.Host, planStart, step.StartS, null, abort.Token).ConfigureAwait(false);
        if (!start)
        {
            return;
        }

        var kind = step.Action == MaintenanceAction.HotPatch ? StepKind.HotPatch : StepKind.MemoryPreserving;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, abort.Token);
        var entry = new JournalEntry($"{planId}/{step.Host}", planId, kind, step.Host, step.Host, null, StepState.Started, timeProvider.GetUtcNow());
        var started = timeProvider.GetTimestamp();
        if (options.DryRun)
        {
            Log.DryRun(logger, kind.ToString(), step.Host, step.Host, step.Host);
            return;
        }

        await journal.RecordAsync(entry, _stopping.Token).ConfigureAwait(false);
        var paused = new List<string>();
        try
        {
            if (kind == StepKind.HotPatch)
            {
                Log.HotPatchApplied(logger, step.Host);
            }
            else
            {
                foreach (var vm in vms)
                {
                    await hypervisor.PauseAsync(vm, step.Host, cancel.Token).ConfigureAwait(false);
                    paused.Add(vm);
                }

                await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, step.EndS - step.StartS)), timeProvider, cancel.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            var message = e switch
            {
                OperationCanceledException => $"aborted ({abort.Reason()}); its {paused.Count} paused VMs are resumed",
                HypervisorException => e.Message,
                _ => $"{e.GetType().Name}: {e.Message}",
            };
            await journal.RecordAsync(entry with { State = StepState.Failed, At = timeProvider.GetUtcNow(), Message = message }, CancellationToken.None).ConfigureAwait(false);
            Log.StepFailed(logger, entry.StepId, step.Host, message);
            observer?.OnStepFinished(new ExecutionOutcome(entry.StepId, kind, step.Host, step.Host, null, false, timeProvider.GetElapsedTime(started), TimeSpan.Zero, message));
            return;
        }
        finally
        {
            // never leave a VM paused: resume whatever was paused, whatever happened
            foreach (var vm in paused)
            {
                await hypervisor.ResumeAsync(vm, step.Host, CancellationToken.None).ConfigureAwait(false);
            }
        }

        var pause = kind == StepKind.HotPatch ? TimeSpan.Zero : timeProvider.GetElapsedTime(started);
        await journal.RecordAsync(entry with { State = StepState.Completed, At = timeProvider.GetUtcNow() }, CancellationToken.None).ConfigureAwait(false);
        if (kind == StepKind.MemoryPreserving)
        {
            Log.MemoryPreservingCompleted(logger, step.Host, vms.Length, pause.TotalMilliseconds);
        }

        observer?.OnStepFinished(new ExecutionOutcome(entry.StepId, kind, step.Host, step.Host, null, true, timeProvider.GetElapsedTime(started), pause, kind == StepKind.HotPatch ? "hot-patched" : $"{vms.Length} VMs paused and resumed"));
    }
}
