using Microsoft.Extensions.Logging;
using Predictor.Core.Hypervisors;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;

namespace Predictor.Daemon.Datacenter;

/// <summary>
/// A real datacenter from inventory.json. VM placements start as the file says, follow every migration the
/// executor completes (and those the journal recorded before a restart), and are checked against what the
/// hypervisor reports: a VM not running where it is believed to be is looked for on the other hosts the
/// adapter can reach it on. A hypervisor that cannot be reached leaves the placement as it was.
/// </summary>
public sealed class InventoryDatacenter : IDatacenter, IExecutionObserver
{
    private readonly DatacenterDefinition _definition;
    private readonly IHypervisor _hypervisor;
    private readonly ILogger<InventoryDatacenter> _logger;
    private readonly Dictionary<string, string> _placements = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reportedMissing = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private DatacenterInventory? _snapshot;

    public InventoryDatacenter(DatacenterDefinition definition, IHypervisor hypervisor, ILogger<InventoryDatacenter> logger)
    {
        _definition = definition;
        _hypervisor = hypervisor;
        _logger = logger;
        foreach (var vm in definition.Inventory.Vms)
        {
            _placements[vm.Id] = vm.Host;
        }
    }

    public IReadOnlyList<HostUpdate> PendingUpdates => _definition.Updates;

    public DatacenterInventory Inventory()
    {
        lock (_gate)
        {
            return _snapshot ??= _definition.Inventory.WithPlacements(_placements);
        }
    }

    /// <summary>Where the VM is believed to run now.</summary>
    public string HostOf(string vm)
    {
        lock (_gate)
        {
            return _placements[vm];
        }
    }

    public void OnStepFinished(ExecutionOutcome outcome)
    {
        if (outcome.Succeeded && outcome.Kind is StepKind.LiveMigration or StepKind.ColdMigration && outcome.To is { } to)
        {
            Move(outcome.Target, to, "the executor moved it");
        }
    }

    /// <summary>Applies the migrations the journal recorded as completed (by an earlier run of the daemon).</summary>
    public async Task ApplyJournalAsync(IExecutionJournal journal, CancellationToken cancellationToken)
    {
        foreach (var vm in _definition.Inventory.Vms)
        {
            var history = await journal.HistoryAsync(vm.Id, cancellationToken).ConfigureAwait(false);
            var last = history.LastOrDefault(e => e.State == StepState.Completed && e.Kind is StepKind.LiveMigration or StepKind.ColdMigration && e.To is not null);
            if (last is not null)
            {
                Move(vm.Id, last.To!, $"the journal records step {last.StepId} completed");
            }
        }
    }

    /// <summary>Asks the hypervisor where every VM runs and corrects placements that are wrong.</summary>
    /// <param name="busy">
    /// VMs (and hosts) a step is working on right now; they are left alone, since their state is in flux and QEMU serves
    /// one QMP client at a time.
    /// </param>
    /// <returns>How many placements were corrected.</returns>
    public async Task<int> VerifyAsync(Func<string, bool>? busy, CancellationToken cancellationToken)
    {
        var corrected = 0;
        await Parallel.ForEachAsync(
            _definition.Inventory.Vms.Select(v => v.Id).Where(vm => busy is null || !(busy(vm) || busy(HostOf(vm)))),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (vm, ct) =>
            {
                if (await VerifyOneAsync(vm, ct).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref corrected);
                }
            }).ConfigureAwait(false);
        return corrected;
    }

    private async Task<bool> VerifyOneAsync(string vm, CancellationToken cancellationToken)
    {
        var believed = HostOf(vm);
        try
        {
            var state = await _hypervisor.GetStateAsync(vm, believed, cancellationToken).ConfigureAwait(false);
            if (state is VmRunState.Running or VmRunState.Paused or VmRunState.Migrating)
            {
                lock (_gate)
                {
                    _reportedMissing.Remove(vm);
                }

                return false;
            }

            foreach (var host in _definition.ReachableHosts[vm].Where(h => h != believed))
            {
                if (await _hypervisor.GetStateAsync(vm, host, cancellationToken).ConfigureAwait(false) is VmRunState.Running or VmRunState.Paused)
                {
                    // the hypervisor is the truth: someone (an earlier run, an operator) moved it
                    return Move(vm, host, $"the hypervisor reports it {state} on {believed} and running on {host}");
                }
            }

            bool first;
            lock (_gate)
            {
                first = _reportedMissing.Add(vm);
            }

            if (first)
            {
                Log.VmNotFound(_logger, vm, believed, state.ToString());
            }
        }
        catch (HypervisorException e)
        {
            Log.PlacementUnverified(_logger, vm, believed, e.Message);
        }

        return false;
    }

    private bool Move(string vm, string host, string why)
    {
        string from;
        lock (_gate)
        {
            from = _placements[vm];
            if (from == host)
            {
                return false;
            }

            _placements[vm] = host;
            _snapshot = null;
        }

        Log.PlacementChanged(_logger, vm, from, host, why);
        return true;
    }
}
