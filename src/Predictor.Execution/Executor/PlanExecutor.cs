using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Predictor.Core.Hypervisors;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Execution.Journal;
using Predictor.Execution.Updates;

namespace Predictor.Execution.Executor;

/// <summary>
/// Carries plans out on a hypervisor. Every step is journalled as Started before the hypervisor is
/// called and as Completed or Failed after, so <see cref="RecoverAsync"/> can reconcile a crash. Steps
/// start at their planned time and never exceed the plan's per-host and datacenter concurrency limits.
/// A VM or host already busy with a step is skipped, so submitting the same plan twice does nothing twice.
/// A host's update starts only after the VMs the plan moves off it have left, and never on a host that
/// still holds a VM the plan expected to be gone.
/// </summary>
public sealed class PlanExecutor(
    IHypervisor hypervisor,
    IExecutionJournal journal,
    ExecutorOptions options,
    TimeProvider timeProvider,
    ILogger<PlanExecutor> logger,
    IExecutionObserver? observer = null,
    IHostUpdater? updater = null) : IAsyncDisposable
{
    /// <summary>How a host step's Started entry lists the VMs that stay on the host (and may be paused).</summary>
    private const string PausedPrefix = "staying: ";

    private readonly IHostUpdater _updater = updater ?? new PlannedDurationHostUpdater(timeProvider);
    private readonly HostGuards _guards = new(options, timeProvider, logger);
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _moves = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<CancellationTokenSource> _aborted = [];
    private readonly Lock _abortGate = new();
    private CancellationTokenSource _abort = new();
    private string _abortReason = "";
    private ConcurrencyGate? _gate;

    /// <summary>
    /// While true no new step starts: plans are not scheduled, and a step already scheduled but not yet started
    /// (waiting for its planned time, a concurrency slot or the moves off its host) is dropped when its turn
    /// comes. Running steps finish.
    /// </summary>
    public bool Paused { get; set; }

    /// <summary>True while a step for this VM or host is scheduled or running.</summary>
    public bool IsBusy(string target) => _running.ContainsKey(target);

    public int RunningSteps => _running.Count;

    /// <summary>Hosts whose circuit breaker is open after repeated failed steps: plans should leave them alone for now.</summary>
    public IReadOnlyList<string> HostsWithOpenCircuit => _guards.OpenHosts;

    /// <summary>True while the host's circuit breaker is open.</summary>
    public bool IsCircuitOpen(string host) => _guards.IsOpen(host);

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
                var resumed = await ResumeLeftPausedAsync(step, cancellationToken).ConfigureAwait(false);
                resolution = "a host-maintenance step was interrupted; it will be planned again" +
                    (resumed.Count == 0 ? "" : $"; resumed {string.Join(", ", resumed)}, left paused on {step.Target}");
            }

            await journal.RecordAsync(step with { State = state, At = timeProvider.GetUtcNow(), Message = "recovered: " + resolution }, cancellationToken).ConfigureAwait(false);
            Log.StepRecovered(logger, step.StepId, step.Target, resolution);
        }

        return inFlight.Count;
    }

    /// <summary>Resumes the VMs a crashed memory-preserving step had paused (the Started entry lists them).</summary>
    private async Task<List<string>> ResumeLeftPausedAsync(JournalEntry step, CancellationToken cancellationToken)
    {
        var resumed = new List<string>();
        if (step.Kind != StepKind.MemoryPreserving || step.Message is not { } message || !message.StartsWith(PausedPrefix, StringComparison.Ordinal))
        {
            return resumed;
        }

        foreach (var vm in message[PausedPrefix.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (await hypervisor.GetStateAsync(vm, step.Target, cancellationToken).ConfigureAwait(false) == VmRunState.Paused)
            {
                await hypervisor.ResumeAsync(vm, step.Target, cancellationToken).ConfigureAwait(false);
                resumed.Add(vm);
            }
        }

        return resumed;
    }

    /// <summary>Schedules the plan's migrations and host maintenance. Returns how many steps were scheduled.</summary>
    /// <param name="plan">The plan; times are seconds from <paramref name="planStart"/>.</param>
    /// <param name="inventory">The inventory the plan was made from (the VMs on each host).</param>
    /// <param name="planId">Unique per plan; step ids derive from it.</param>
    /// <param name="planStart">The moment the plan's time zero refers to.</param>
    /// <param name="updateIds">The update each maintained host gets (host → update id), for the updater and the journal.</param>
    public int Submit(MaintenancePlan plan, DatacenterInventory inventory, string planId, DateTimeOffset planStart, IReadOnlyDictionary<string, string>? updateIds = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(inventory);
        _gate ??= new ConcurrencyGate(plan.Limits.MaxConcurrent, plan.Limits.MaxOutboundPerHost, plan.Limits.MaxInboundPerHost);
        var candidates = plan.Migrations.Count(m => !IsBusy(m.Vm)) +
            plan.Maintenance.Count(m => IsExecuted(m.Action) && !IsBusy(m.Host));
        if (Paused)
        {
            Log.PausedSkipped(logger, candidates, planId);
            return 0;
        }

        var scheduled = 0;
        // a VM the plan moves twice (an evacuee landing on a host the rollout then empties) moves in order, in one task
        foreach (var moves in plan.Migrations.GroupBy(m => m.Vm, StringComparer.Ordinal))
        {
            var gate = new TaskCompletionSource();
            if (_running.TryAdd(moves.Key, gate.Task))
            {
                var chain = moves.ToArray();
                scheduled += chain.Length;
                _moves[moves.Key] = chain[^1].To;
                _ = RunAsync(moves.Key, gate, () => MigrateChainAsync(chain, planId, planStart));
            }
        }

        var leaving = plan.Migrations.ToLookup(m => m.From, StringComparer.Ordinal);
        foreach (var step in plan.Maintenance.Where(s => IsExecuted(s.Action)))
        {
            var gate = new TaskCompletionSource();
            if (_running.TryAdd(step.Host, gate.Task))
            {
                scheduled++;
                var leavers = leaving[step.Host].Select(m => m.Vm).ToHashSet(StringComparer.Ordinal);
                var staying = inventory.VmsOn(step.Host).Select(v => v.Id).Where(v => !leavers.Contains(v)).ToArray();
                var waitFor = leavers.Select(v => _running.TryGetValue(v, out var t) ? t : Task.CompletedTask).ToArray();
                var work = new HostWork(step, updateIds?.GetValueOrDefault(step.Host), [.. leavers], staying, waitFor);
                _ = RunAsync(step.Host, gate, () => MaintainAsync(work, planId, planStart));
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
    /// Waits for the step's planned start, what it must wait for (the moves off a host), and for a migration its
    /// concurrency slots. Returns false (nothing started, nothing journalled) when the executor is paused by then
    /// or the wait was aborted.
    /// </summary>
    private async Task<(bool Start, IDisposable? Slots)> WaitForTurnAsync(
        string stepId, string target, DateTimeOffset planStart, double offsetSeconds, (string From, string To)? move, Task[] after, CancellationToken abort)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, abort);
        IDisposable? slots = null;
        try
        {
            await WaitUntilAsync(planStart, offsetSeconds, waiting.Token).ConfigureAwait(false);
            await Task.WhenAll(after).WaitAsync(waiting.Token).ConfigureAwait(false);
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

    private async Task MigrateChainAsync(MigrationStep[] chain, string planId, DateTimeOffset planStart)
    {
        for (var i = 0; i < chain.Length; i++)
        {
            // a later move starts only from where the earlier one left the VM
            if (!await MigrateAsync(chain[i], planId, i == 0 ? $"{planId}/{chain[i].Vm}" : $"{planId}/{chain[i].Vm}#{i + 1}", planStart).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private async Task<bool> MigrateAsync(MigrationStep m, string planId, string stepId, DateTimeOffset planStart)
    {
        var abort = AbortToken();
        var (start, slots) = await WaitForTurnAsync(stepId, m.Vm, planStart, m.StartS, (m.From, m.To), [], abort.Token).ConfigureAwait(false);
        if (!start)
        {
            return false;
        }

        using var held = slots;
        var kind = m.Kind == MigrationKind.Live ? StepKind.LiveMigration : StepKind.ColdMigration;
        var entry = new JournalEntry(stepId, planId, kind, m.Vm, m.From, m.To, StepState.Started, timeProvider.GetUtcNow(), m.Reason);
        var started = timeProvider.GetTimestamp();
        try
        {
            if (options.DryRun)
            {
                Log.DryRun(logger, kind.ToString(), m.Vm, m.From, m.To);
                return true;
            }

            await journal.RecordAsync(entry, _stopping.Token).ConfigureAwait(false);
            Log.MigrationStarting(logger, m.Vm, kind.ToString(), m.From, m.To, m.Reason);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, abort.Token);
            timeout.CancelAfter(options.StepTimeout);
            TimeSpan blackout;
            if (m.Kind == MigrationKind.Live)
            {
                var result = await _guards.ExecuteAsync(stepId, [m.To],
                    t => new ValueTask<MigrationResult>(hypervisor.LiveMigrateAsync(m.Vm, m.From, m.To, new MigrationOptions(options.MaxDowntime), null, t)), timeout.Token).ConfigureAwait(false);
                blackout = result.Downtime;
            }
            else
            {
                blackout = await _guards.ExecuteAsync(stepId, [m.To],
                    t => new ValueTask<TimeSpan>(hypervisor.ColdMigrateAsync(m.Vm, m.From, m.To, t)), timeout.Token).ConfigureAwait(false);
            }

            var elapsed = timeProvider.GetElapsedTime(started);
            await journal.RecordAsync(entry with { State = StepState.Completed, At = timeProvider.GetUtcNow(), Message = null }, CancellationToken.None).ConfigureAwait(false);
            Log.MigrationCompleted(logger, m.Vm, m.To, elapsed.TotalSeconds, blackout.TotalMilliseconds);
            observer?.OnStepFinished(new ExecutionOutcome(entry.StepId, kind, m.Vm, m.From, m.To, true, elapsed, blackout, $"moved to {m.To}"));
            return true;
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
            return false;
        }
    }

    /// <summary>The host steps the executor carries out; self-service hosts are left to their owners' chosen moments.</summary>
    private static bool IsExecuted(MaintenanceAction action) =>
        action is MaintenanceAction.HotPatch or MaintenanceAction.MemoryPreserving or MaintenanceAction.LiveMigration;

    private static StepKind KindOf(MaintenanceAction action) => action switch
    {
        MaintenanceAction.HotPatch => StepKind.HotPatch,
        MaintenanceAction.MemoryPreserving => StepKind.MemoryPreserving,
        _ => StepKind.HostUpdate,
    };

    private async Task MaintainAsync(HostWork work, string planId, DateTimeOffset planStart)
    {
        var step = work.Step;
        var abort = AbortToken();
        var (start, _) = await WaitForTurnAsync($"{planId}/{step.Host}", step.Host, planStart, step.StartS, null, work.WaitFor, abort.Token).ConfigureAwait(false);
        if (!start)
        {
            return;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, abort.Token);
        var kind = KindOf(step.Action);
        // the VMs the memory-preserving step pauses are journalled, so a restart after a crash can resume them
        var entry = new JournalEntry($"{planId}/{step.Host}", planId, kind, step.Host, step.Host, null, StepState.Started, timeProvider.GetUtcNow(),
            work.Staying.Length == 0 ? null : PausedPrefix + string.Join(',', work.Staying));
        var started = timeProvider.GetTimestamp();
        if (options.DryRun)
        {
            Log.DryRun(logger, kind.ToString(), step.Host, step.Host, step.Host);
            return;
        }

        var stillThere = await StillOnHostAsync(work.Leavers, step.Host).ConfigureAwait(false);
        var refusal = stillThere.Count > 0
            ? $"{string.Join(", ", stillThere)} did not leave {step.Host}; its update was not applied and will be planned again"
            : step.Action == MaintenanceAction.LiveMigration && work.Staying.Length > 0
                ? $"{string.Join(", ", work.Staying)} would stay on {step.Host} through an update that needs it empty; the update was not applied"
                : null;
        if (refusal is not null)
        {
            await FailAsync(entry, kind, step.Host, refusal, started).ConfigureAwait(false);
            return;
        }

        await journal.RecordAsync(entry, _stopping.Token).ConfigureAwait(false);
        var paused = new List<string>();
        // a memory-preserving update takes the planned pause; the others the step's planned length
        var planned = step.Action == MaintenanceAction.MemoryPreserving && step.VmPauseMs > 0
            ? TimeSpan.FromMilliseconds(step.VmPauseMs)
            : TimeSpan.FromSeconds(Math.Max(0, step.EndS - step.StartS));
        var pauseStarted = timeProvider.GetTimestamp();
        try
        {
            // paused VMs must not wait out a retry delay: a memory-preserving step is tried once, then planned again
            await _guards.ExecuteAsync(entry.StepId, [step.Host], async t =>
            {
                if (step.Action == MaintenanceAction.MemoryPreserving)
                {
                    foreach (var vm in work.Staying)
                    {
                        await hypervisor.PauseAsync(vm, step.Host, t).ConfigureAwait(false);
                        paused.Add(vm);
                    }
                }

                await _updater.ApplyAsync(new HostUpdateRequest(step.Host, work.UpdateId, step.Action, planned), t).ConfigureAwait(false);
                return true;
            }, cancel.Token, retry: step.Action != MaintenanceAction.MemoryPreserving).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            var failure = e switch
            {
                OperationCanceledException => $"aborted ({abort.Reason()}); its {paused.Count} paused VMs are resumed",
                HypervisorException or HostUpdateException => e.Message,
                _ => $"{e.GetType().Name}: {e.Message}",
            };
            await ResumeAllAsync(paused, step.Host).ConfigureAwait(false);
            await FailAsync(entry, kind, step.Host, failure, started).ConfigureAwait(false);
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
        var pause = step.Action == MaintenanceAction.MemoryPreserving ? timeProvider.GetElapsedTime(pauseStarted) : TimeSpan.Zero;
        await journal.RecordAsync(entry with { State = StepState.Completed, At = timeProvider.GetUtcNow(), Message = null }, CancellationToken.None).ConfigureAwait(false);
        var message = step.Action switch
        {
            MaintenanceAction.HotPatch => "hot-patched",
            MaintenanceAction.MemoryPreserving => $"{pausedCount} VMs paused and resumed",
            _ => $"updated empty after {work.Leavers.Length} VMs left",
        };
        switch (step.Action)
        {
            case MaintenanceAction.HotPatch:
                Log.HotPatchApplied(logger, step.Host);
                break;
            case MaintenanceAction.MemoryPreserving:
                Log.MemoryPreservingCompleted(logger, step.Host, pausedCount, pause.TotalMilliseconds);
                break;
            default:
                Log.EmptyHostUpdated(logger, step.Host, work.UpdateId ?? "?", work.Leavers.Length);
                break;
        }

        observer?.OnStepFinished(new ExecutionOutcome(entry.StepId, kind, step.Host, step.Host, null, true, timeProvider.GetElapsedTime(started), pause, message));
    }

    /// <summary>Leavers the hypervisor still reports on the host (a failed or cancelled move): the host must not be touched.</summary>
    private async Task<List<string>> StillOnHostAsync(string[] leavers, string host)
    {
        var still = new List<string>();
        foreach (var vm in leavers)
        {
            if (await hypervisor.GetStateAsync(vm, host, _stopping.Token).ConfigureAwait(false) is not (VmRunState.Absent or VmRunState.Stopped or VmRunState.PostMigrate))
            {
                still.Add(vm);
            }
        }

        return still;
    }

    private async Task FailAsync(JournalEntry entry, StepKind kind, string host, string message, long started)
    {
        await journal.RecordAsync(entry with { State = StepState.Failed, At = timeProvider.GetUtcNow(), Message = message }, CancellationToken.None).ConfigureAwait(false);
        Log.StepFailed(logger, entry.StepId, host, message);
        observer?.OnStepFinished(new ExecutionOutcome(entry.StepId, kind, host, host, null, false, timeProvider.GetElapsedTime(started), TimeSpan.Zero, message));
    }

    private async Task ResumeAllAsync(List<string> paused, string host)
    {
        foreach (var vm in paused)
        {
            await hypervisor.ResumeAsync(vm, host, CancellationToken.None).ConfigureAwait(false);
        }

        paused.Clear();
    }

    /// <summary>A host step with what it waits for: the plan's moves off the host, and the VMs that stay on it.</summary>
    private sealed record HostWork(MaintenanceStep Step, string? UpdateId, string[] Leavers, string[] Staying, Task[] WaitFor);
}
