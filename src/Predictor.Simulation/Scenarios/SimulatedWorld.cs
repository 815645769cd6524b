using Microsoft.Extensions.Logging;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Core.Telemetry;
using Predictor.Execution.Hypervisors.Simulated;

namespace Predictor.Simulation.Scenarios;

/// <summary>
/// The embedded default's datacenter: the simulator's fleet and telemetry, the simulated hypervisor
/// that owns VM placements, and the injected failures, which strike at their labelled time on the
/// injected clock. VMs on a failed host are interrupted and restarted elsewhere, as HA would — never on a quarantined host.
/// </summary>
public sealed class SimulatedWorld : IDatacenter, IDisposable
{
    private readonly ILogger<SimulatedWorld> _logger;
    private readonly List<ITimer> _failureTimers = [];
    private readonly object _gate = new();
    private DateTimeOffset _emittedUntil;

    /// <summary>Telemetry history emitted before the run starts, so windows are warm at the first pass.</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromDays(1);

    /// <param name="fleet">The simulated fleet.</param>
    /// <param name="telemetryEmittedUntil">Telemetry up to this time was already ingested (the warm-up); the first pass emits from here.</param>
    /// <param name="timeProvider">The (accelerated) clock the run uses.</param>
    public SimulatedWorld(SimulatedFleet fleet, DateTimeOffset telemetryEmittedUntil, TimeProvider timeProvider, ILogger<SimulatedWorld> logger)
    {
        Fleet = fleet;
        _logger = logger;
        Hypervisor = new SimulatedHypervisor(fleet.Inventory, timeProvider);
        _emittedUntil = telemetryEmittedUntil;
        foreach (var failure in fleet.Failures)
        {
            var due = failure.FailsAt - timeProvider.GetUtcNow();
            _failureTimers.Add(timeProvider.CreateTimer(_ => Fail(failure), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan));
        }
    }

    public SimulatedFleet Fleet { get; }

    /// <summary>Told of each injected failure as it strikes, with the VMs it interrupted (a scenario's recorder listens).</summary>
    public event Action<string, DateTimeOffset, IReadOnlyList<string>>? HostFailed;

    public SimulatedHypervisor Hypervisor { get; }

    /// <summary>
    /// Whether HA may restart a failed host's VMs on a host; the daemon's composition says no for quarantined hosts, which
    /// would otherwise receive VMs nobody asked to move and then report them stuck. Null: every active host may.
    /// </summary>
    public Func<string, bool>? MayRestartOn { get; set; }

    public IReadOnlyList<HostUpdate> PendingUpdates => Fleet.Updates;

    public DatacenterInventory Inventory() => Hypervisor.Snapshot();

    /// <summary>Emits the fleet's telemetry up to <paramref name="now"/> into the sink.</summary>
    public void IngestUntil(DateTimeOffset now, ITelemetrySink sink)
    {
        DateTimeOffset from;
        lock (_gate)
        {
            if (now <= _emittedUntil)
            {
                return;
            }

            from = _emittedUntil;
            _emittedUntil = now;
        }

        Fleet.EmitTelemetry(from, now, sink);
    }

    public void Dispose()
    {
        foreach (var timer in _failureTimers)
        {
            timer.Dispose();
        }
    }

    private void Fail(FailureLabel failure)
    {
        // runs on a timer: an exception here would end the process, so every failure is logged instead
        try
        {
            FailAndRestart(failure);
        }
        catch (Exception e)
        {
            Log.SimulationStepFailed(_logger, failure.Host, e);
        }
    }

    private void FailAndRestart(FailureLabel failure)
    {
        var interrupted = Hypervisor.FailHost(failure.Host);
        HostFailed?.Invoke(failure.Host, failure.FailsAt, interrupted);
        if (interrupted.IsEmpty)
        {
            Log.HostFailedEmpty(_logger, failure.Host, failure.FailsAt);
            return;
        }

        Log.HostFailed(_logger, failure.Host, failure.FailsAt, interrupted.Length, string.Join(", ", interrupted));
        var inventory = Hypervisor.Snapshot();
        var free = inventory.Hosts.Where(h => h.State == HostState.Active && (MayRestartOn?.Invoke(h.Id) ?? true))
            .ToDictionary(h => h.Id, h => Hypervisor.FreeRoom(h.Id), StringComparer.Ordinal);
        foreach (var vmId in interrupted)
        {
            // HA restarts on the host with the most free memory among those with room for all of the VM (memory,
            // disk and vCPUs): a host chosen by memory alone could end up with more disk in use than it has.
            var vm = inventory.GetVm(vmId);
            var target = free.Where(f => f.Value.Fits(vm)).OrderByDescending(f => f.Value.MemoryGiB).Select(f => f.Key).FirstOrDefault();
            if (target is null)
            {
                Log.VmNotRestarted(_logger, vmId);
                continue;
            }

            free[target] = free[target].Without(vm);
            Hypervisor.Restart(vmId, target);
            Log.VmRestarted(_logger, vmId, target);
        }
    }
}
