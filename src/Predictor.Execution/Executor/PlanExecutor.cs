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
public sealed class PlanExecutor : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly HostGuards _guards;
    private readonly StepActivity _activity = new();
    private readonly StepScheduler _scheduler;
    private readonly JournalRecovery _recovery;

    public PlanExecutor(
        IHypervisor hypervisor,
        IExecutionJournal journal,
        ExecutorOptions options,
        TimeProvider timeProvider,
        ILogger<PlanExecutor> logger,
        IExecutionObserver? observer = null,
        IHostUpdater? updater = null,
        Func<long>? fencingToken = null)
    {
        _guards = new HostGuards(options, timeProvider, logger);
        var services = new StepServices(hypervisor, journal, options, timeProvider, logger, observer, _guards, _stopping.Token, fencingToken ?? (() => 0));
        _scheduler = new StepScheduler(
            services,
            _activity,
            new MigrationRunner(services, _activity),
            new HostMaintenanceRunner(services, _activity, updater ?? new PlannedDurationHostUpdater(timeProvider)));
        _recovery = new JournalRecovery(services);
    }

    /// <summary>
    /// While true no new step starts: plans are not scheduled, and a step already scheduled but not yet started
    /// (waiting for its planned time, a concurrency slot or the moves off its host) is dropped when its turn
    /// comes. Running steps finish.
    /// </summary>
    public bool Paused
    {
        get => _scheduler.Paused;
        set => _scheduler.Paused = value;
    }

    /// <summary>True while a step for this VM or host is scheduled or running.</summary>
    public bool IsBusy(string target) => _scheduler.IsBusy(target);

    public int RunningSteps => _scheduler.RunningSteps;

    /// <summary>
    /// True when no step can make progress on its own: every scheduled step has finished or is parked on a wait
    /// only something else can end (its planned start, a concurrency slot, the moves off its host, or a hypervisor
    /// or updater call). On a virtual clock that is the moment to advance it: nothing the clock released is still
    /// running.
    /// </summary>
    public bool IsIdle => _activity.IsIdle;

    /// <summary>Completes as soon as the executor is <see cref="IsIdle">idle</see> (at once when it is).</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken = default) => _activity.WhenIdleAsync(cancellationToken);

    /// <summary>Hosts whose circuit breaker is open after repeated failed steps: plans should leave them alone for now.</summary>
    public IReadOnlyList<string> HostsWithOpenCircuit => _guards.OpenHosts;

    /// <summary>True while the host's circuit breaker is open.</summary>
    public bool IsCircuitOpen(string host) => _guards.IsOpen(host);

    /// <summary>Migrations scheduled or running: VM id → destination host. Planners count these VMs on their destination.</summary>
    public IReadOnlyDictionary<string, string> InFlightMoves => _scheduler.InFlightMoves;

    /// <summary>
    /// Reconciles steps a previous process (or a previous leader) left Started: asks the hypervisor where the VM is now,
    /// and follows a migration QEMU is still carrying out to its end. Steps this executor is running itself are left alone.
    /// </summary>
    public Task<int> RecoverAsync(CancellationToken cancellationToken) => _recovery.RecoverAsync(_scheduler.IsBusy, cancellationToken);

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
        return _scheduler.Submit(plan, inventory, planId, planStart, updateIds);
    }

    /// <summary>Waits until every scheduled step has finished.</summary>
    public Task DrainAsync() => _scheduler.DrainAsync();

    /// <summary>
    /// Cancels every running step now (a kill switch): a live migration is cancelled so the VM keeps running on
    /// its source, paused VMs are resumed, and each step is journalled Failed with <paramref name="reason"/>.
    /// Combine with <see cref="Paused"/> so that nothing new starts.
    /// </summary>
    public void AbortRunning(string reason) => _scheduler.AbortRunning(reason);

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
        _scheduler.Dispose();
    }
}
