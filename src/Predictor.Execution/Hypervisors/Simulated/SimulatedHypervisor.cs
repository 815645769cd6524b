using System.Collections.Immutable;
using Predictor.Core.Hypervisors;
using Predictor.Core.Inventory;
using Predictor.Core.Migration;
using Predictor.Execution.Time;

namespace Predictor.Execution.Hypervisors.Simulated;

/// <summary>
/// An in-process hypervisor for the embedded default, scale runs and tests. It owns where each VM runs.
/// A live migration takes the time the pre-copy model gives for the VM's memory, dirty rate and the link
/// shared by the source's concurrent migrations, waited on the injected clock; its blackout is the model's
/// final pause. A hot restart starts a new hypervisor process while the VM runs, then pauses the VM only for its
/// device-state transfer (RAM is shared), on hosts whose inventory says they can. A host that fails interrupts the
/// VMs still on it (and any migration out of it).
/// </summary>
public sealed class SimulatedHypervisor : IHypervisor, IHotRestartHypervisor
{
    /// <summary>Starting the new hypervisor process, while the VM still runs in the old one.</summary>
    public static readonly TimeSpan HotRestartLaunch = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The device-state transfer of a hot restart: a fixed part (devices, the switch-over handshake), plus per vCPU
    /// (register state) and per GiB (the dirty-bitmap sync of the RAM's page map, not its contents). Real QEMU measured
    /// about 1.5 ms for a 1-vCPU guest of up to 1 GiB (README); production guests carry more devices and vCPUs.
    /// </summary>
    public static TimeSpan HotRestartBlackout(Vm vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        return TimeSpan.FromMilliseconds(10 + (0.5 * vm.Vcpus) + (0.1 * vm.MemoryGiB));
    }

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly string _datacenter;
    private readonly Dictionary<string, Host> _hosts;
    private readonly Dictionary<string, VmSlot> _vms;
    private readonly Dictionary<string, int> _outbound = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Vm>> _incoming = new(StringComparer.Ordinal);

    public SimulatedHypervisor(DatacenterInventory inventory, TimeProvider timeProvider)
    {
        _time = timeProvider;
        _datacenter = inventory.Datacenter;
        _hosts = inventory.Hosts.ToDictionary(h => h.Id, StringComparer.Ordinal);
        _vms = inventory.Vms.ToDictionary(v => v.Id, v => new VmSlot(v), StringComparer.Ordinal);
    }

    /// <summary>Boot time of a VM after a cold move or an HA restart.</summary>
    /// <value>The default value is 60 s.</value>
    public TimeSpan BootTime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The current hosts and VM placements.</summary>
    public DatacenterInventory Snapshot()
    {
        lock (_gate)
        {
            return DatacenterInventory.Create(_datacenter, _hosts.Values.OrderBy(h => h.Id, StringComparer.Ordinal),
                _vms.Values.Select(s => s.Vm).OrderBy(v => v.Id, StringComparer.Ordinal));
        }
    }

    /// <summary>Marks a host failed; returns the VMs that were running (or paused, or migrating) on it.</summary>
    public ImmutableArray<string> FailHost(string hostId)
    {
        lock (_gate)
        {
            if (!_hosts.TryGetValue(hostId, out var host) || host.State == HostState.Failed)
            {
                return [];
            }

            _hosts[hostId] = host with { State = HostState.Failed };
            var interrupted = _vms.Values.Where(s => s.Vm.Host == hostId && s.State != VmRunState.Stopped).ToList();
            foreach (var slot in interrupted)
            {
                slot.State = VmRunState.Stopped;
                slot.Interrupted = true;
            }

            return [.. interrupted.Select(s => s.Vm.Id).Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Restarts an interrupted VM on another host (what HA does after a host failure).</summary>
    public void Restart(string vmId, string hostId)
    {
        lock (_gate)
        {
            var slot = Slot(vmId);
            RequireRoom(RequireUsable(hostId), slot.Vm);
            slot.Vm = slot.Vm with { Host = hostId };
            slot.State = VmRunState.Running;
            slot.Interrupted = false;
        }
    }

    /// <summary>Sets a host's state (quarantine, maintenance, back to active); failed hosts stay failed.</summary>
    public void SetHostState(string hostId, HostState state)
    {
        lock (_gate)
        {
            if (_hosts.TryGetValue(hostId, out var host) && host.State != HostState.Failed)
            {
                _hosts[hostId] = host with { State = state };
            }
        }
    }

    public Task<VmRunState> GetStateAsync(string vm, string host, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_vms.TryGetValue(vm, out var slot) && slot.Vm.Host == host ? slot.State : VmRunState.Absent);
        }
    }

    public async Task<MigrationResult> LiveMigrateAsync(string vm, string fromHost, string toHost, MigrationOptions options, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
    {
        PreCopyEstimate estimate;
        VmSlot slot;
        lock (_gate)
        {
            slot = Slot(vm);
            RequireOn(slot, fromHost, VmRunState.Running);
            var destination = RequireUsable(toHost);
            var source = _hosts[fromHost];
            if (destination.CpuGeneration < source.CpuGeneration)
            {
                throw new HypervisorException($"VM '{vm}' cannot live-migrate from CPU generation {source.CpuGeneration} ({fromHost}) to {destination.CpuGeneration} ({toHost}); it keeps running on {fromHost}.");
            }

            RequireRoom(destination, slot.Vm);
            AddIncoming(toHost, slot.Vm);
            var sharing = _outbound.GetValueOrDefault(fromHost) + 1;
            _outbound[fromHost] = sharing;
            var bandwidth = Math.Min(source.NicGbps, destination.NicGbps) / sharing;
            if (options.MaxBandwidthBytesPerSecond is { } cap)
            {
                bandwidth = Math.Min(bandwidth, cap * 8 / 1e9);
            }

            estimate = PreCopyModel.Estimate(slot.Vm.MemoryGiB, slot.Vm.DirtyRateMiBps, bandwidth, options.MaxDowntime, options.AutoConverge);
            slot.State = VmRunState.Migrating;
        }

        try
        {
            if (!estimate.Converges)
            {
                throw new HypervisorException($"Migration of VM '{vm}' to {toHost} did not converge within the {options.MaxDowntime.TotalMilliseconds:0} ms downtime limit and auto-converge is off; cancelled, the VM keeps running on {fromHost}.");
            }

            await InlineWait.Delay(_time, estimate.Duration, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (slot.Interrupted || _hosts[fromHost].State == HostState.Failed)
                {
                    throw new HypervisorException($"Source host {fromHost} failed during the migration of VM '{vm}'; the VM was interrupted.");
                }

                if (_hosts[toHost].State == HostState.Failed)
                {
                    throw new HypervisorException($"Destination host {toHost} failed during the migration of VM '{vm}'; cancelled, the VM keeps running on {fromHost}.");
                }

                slot.Vm = slot.Vm with { Host = toHost };
                slot.State = VmRunState.Running;
                progress?.Report(new MigrationProgress((long)estimate.TransferredBytes, 0, estimate.Rounds));
            }

            return new MigrationResult(estimate.Duration, estimate.Downtime, (long)estimate.TransferredBytes);
        }
        finally
        {
            lock (_gate)
            {
                _outbound[fromHost]--;
                RemoveIncoming(toHost, vm);
                if (slot.State == VmRunState.Migrating)
                {
                    slot.State = VmRunState.Running; // cancelled or failed: the VM stays on its source
                }
            }
        }
    }

    public async Task<TimeSpan> ColdMigrateAsync(string vm, string fromHost, string toHost, CancellationToken cancellationToken)
    {
        VmSlot slot;
        double seconds;
        lock (_gate)
        {
            slot = Slot(vm);
            RequireOn(slot, fromHost, VmRunState.Running);
            var destination = RequireUsable(toHost);
            RequireRoom(destination, slot.Vm);
            AddIncoming(toHost, slot.Vm);
            var link = Math.Min(_hosts[fromHost].NicGbps, destination.NicGbps);
            seconds = slot.Vm.DiskGiB * 8 * 1.073741824 / link + BootTime.TotalSeconds;
            slot.State = VmRunState.Stopped;
        }

        try
        {
            await InlineWait.Delay(_time, TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                RemoveIncoming(toHost, vm);
                slot.State = VmRunState.Running; // the copy was abandoned; start it again where it was
            }

            throw;
        }

        lock (_gate)
        {
            RemoveIncoming(toHost, vm);
            slot.Vm = slot.Vm with { Host = _hosts[toHost].State == HostState.Failed ? fromHost : toHost };
            slot.State = slot.Interrupted && slot.Vm.Host == fromHost ? VmRunState.Stopped : VmRunState.Running;
            return TimeSpan.FromSeconds(seconds);
        }
    }

    public Task<string?> HotRestartBlockerAsync(string vm, string host, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var slot = Slot(vm);
            return Task.FromResult(
                !_hosts.TryGetValue(host, out var h) ? $"host '{host}' is not known to the simulated hypervisor"
                : !h.HotRestartCapable ? $"the hypervisor of host '{host}' cannot hot-restart (hotRestartCapable is false)"
                : !slot.Vm.LiveMigratable ? $"VM '{vm}' cannot migrate, and a hot restart is a local migration"
                : slot.Vm.Host != host || slot.State != VmRunState.Running ? $"VM '{vm}' is {slot.State} on {slot.Vm.Host}, not running on {host}"
                : null);
        }
    }

    public async Task<HotRestartResult> HotRestartAsync(string vm, string host, CancellationToken cancellationToken)
    {
        if (await HotRestartBlockerAsync(vm, host, cancellationToken).ConfigureAwait(false) is { } blocker)
        {
            throw new HypervisorException($"VM '{vm}' was not hot-restarted: {blocker}; nothing was changed.");
        }

        VmSlot slot;
        lock (_gate)
        {
            slot = Slot(vm);
        }

        var blackout = HotRestartBlackout(slot.Vm);
        await InlineWait.Delay(_time, HotRestartLaunch, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            RequireOn(slot, host, VmRunState.Running);
            slot.State = VmRunState.Paused;
        }

        try
        {
            await InlineWait.Delay(_time, blackout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                // done, or cancelled during the switch-over: either way one process runs the VM again
                slot.State = slot.Interrupted ? VmRunState.Stopped : VmRunState.Running;
            }
        }

        return new HotRestartResult(blackout, HotRestartLaunch + blackout, "simulated");
    }

    public Task<string> ReconcileHotRestartAsync(string vm, string host, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var slot = Slot(vm);
            if (slot.Vm.Host == host && slot.State == VmRunState.Paused)
            {
                slot.State = VmRunState.Running;
                return Task.FromResult($"VM '{vm}' was paused mid-swap on {host}; resumed");
            }

            return Task.FromResult($"VM '{vm}' is {slot.State} on {slot.Vm.Host}; nothing to finish");
        }
    }

    public Task PauseAsync(string vm, string host, CancellationToken cancellationToken) =>
        Transition(vm, host, VmRunState.Running, VmRunState.Paused);

    public Task ResumeAsync(string vm, string host, CancellationToken cancellationToken) =>
        Transition(vm, host, VmRunState.Paused, VmRunState.Running);

    /// <summary>Moves a VM from one run state to another on its host; already being there is success (idempotent).</summary>
    private Task Transition(string vm, string host, VmRunState from, VmRunState to)
    {
        lock (_gate)
        {
            var slot = Slot(vm);
            if (slot.State != to || slot.Vm.Host != host)
            {
                RequireOn(slot, host, from);
                slot.State = to;
            }

            return Task.CompletedTask;
        }
    }

    private VmSlot Slot(string vm) =>
        _vms.TryGetValue(vm, out var slot) ? slot : throw new HypervisorException($"VM '{vm}' is not known to the simulated hypervisor.");

    /// <summary>What the host has left for VMs, counting those on it and those on their way to it.</summary>
    public HostRoom FreeRoom(string hostId)
    {
        lock (_gate)
        {
            return Room(_hosts[hostId]);
        }
    }

    private HostRoom Room(Host host)
    {
        double memory = 0, disk = 0, vcpus = 0;
        foreach (var vm in _vms.Values.Select(s => s.Vm).Where(v => v.Host == host.Id).Concat(_incoming.GetValueOrDefault(host.Id) ?? []))
        {
            memory += vm.MemoryGiB;
            disk += vm.DiskGiB;
            vcpus += vm.Vcpus;
        }

        var vcpuLimit = host.Cores > 0 ? host.Cores * InventoryValidator.MaxPlausibleCpuOvercommit : double.PositiveInfinity;
        return new HostRoom(host.MemoryGiB - memory, host.DiskGiB - disk, vcpuLimit - vcpus);
    }

    /// <summary>Refuses a placement that would leave the inventory invalid (memory, disk or vCPUs over capacity).</summary>
    private void RequireRoom(Host host, Vm vm)
    {
        if (Room(host).Shortfall(vm) is { } shortfall)
        {
            throw new HypervisorException($"Host '{host.Id}' has {shortfall} VM '{vm.Id}' needs.");
        }
    }

    private void RemoveIncoming(string hostId, string vmId) => _incoming[hostId].RemoveAll(v => v.Id == vmId);

    private void AddIncoming(string hostId, Vm vm)
    {
        if (!_incoming.TryGetValue(hostId, out var list))
        {
            _incoming[hostId] = list = [];
        }

        list.Add(vm);
    }

    private static void RequireOn(VmSlot slot, string host, VmRunState state)
    {
        if (slot.Vm.Host != host || slot.State != state)
        {
            throw new HypervisorException($"VM '{slot.Vm.Id}' is {slot.State} on {slot.Vm.Host}, not {state} on {host}.");
        }
    }

    private Host RequireUsable(string hostId)
    {
        if (!_hosts.TryGetValue(hostId, out var host))
        {
            throw new HypervisorException($"Host '{hostId}' is not known to the simulated hypervisor.");
        }

        return host.State == HostState.Failed ? throw new HypervisorException($"Host '{hostId}' has failed.") : host;
    }

    private sealed class VmSlot(Vm vm)
    {
        public Vm Vm { get; set; } = vm;

        public VmRunState State { get; set; } = VmRunState.Running;

        public bool Interrupted { get; set; }
    }
}
