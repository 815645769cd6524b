using System.Collections.Immutable;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Core.Telemetry;
using Predictor.Simulation.Failures;
using Predictor.Simulation.Fleet;
using Predictor.Simulation.Signals;
using Predictor.Simulation.Updates;

namespace Predictor.Simulation;

/// <summary>
/// A synthetic datacenter: its inventory, the failures that will happen in it (ground truth), the updates
/// its hosts need, and its hardware telemetry. Immutable and deterministic: everything is a function of
/// <see cref="Options"/>, and <see cref="EmitTelemetry"/> may be called from several threads.
/// </summary>
public sealed class SimulatedFleet
{
    private readonly TelemetryEmitter _emitter;
    private readonly HostModel[] _hosts;

    private SimulatedFleet(SimulationOptions options, DatacenterInventory inventory, HostModel[] hosts, RackModel[] racks,
        IReadOnlyList<FailureLabel> failures, IReadOnlyList<HostUpdate> updates)
    {
        Options = options;
        Inventory = inventory;
        Failures = failures;
        Updates = updates;
        _hosts = hosts;
        _emitter = new TelemetryEmitter(options, hosts, racks);
    }

    public SimulationOptions Options { get; }

    /// <summary>The inventory at the simulated start (all hosts active).</summary>
    public DatacenterInventory Inventory { get; }

    /// <summary>Failures within the simulated period, in time order.</summary>
    public IReadOnlyList<FailureLabel> Failures { get; }

    /// <summary>Updates pending on hosts at the start.</summary>
    public IReadOnlyList<HostUpdate> Updates { get; }

    /// <summary>Builds the fleet. A zero duration builds only the inventory and updates (fast for large fleets).</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static SimulatedFleet Create(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        var (inventory, shapes) = InventoryGenerator.Generate(options);
        var updates = UpdateGenerator.Generate(options, shapes);
        if (options.Duration <= TimeSpan.Zero)
        {
            return new SimulatedFleet(options, inventory, [], [], [], updates);
        }

        var (hosts, racks) = FleetModelBuilder.Build(options, shapes);
        var injected = FailureInjector.Inject(options, shapes);
        foreach (var failure in injected)
        {
            hosts[failure.Host].Failure = failure;
        }

        var labels = injected.Select(f => Label(f, hosts[f.Host])).ToImmutableArray();
        return new SimulatedFleet(options, inventory, hosts, racks, labels, updates);
    }

    /// <summary>
    /// Writes every sample whose time is on the grid <c>Start + k × TelemetryInterval</c>, lies in
    /// (<paramref name="fromExclusive"/>, <paramref name="toInclusive"/>] and inside [Start, Start + Duration],
    /// step by step and host by host. A failed host emits nothing at or after its failure time. The samples
    /// depend only on the options and the times, so consecutive calls over adjacent ranges emit exactly what
    /// one call over their union does.
    /// </summary>
    public void EmitTelemetry(DateTimeOffset fromExclusive, DateTimeOffset toInclusive, ITelemetrySink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _emitter.Emit(fromExclusive, toInclusive, sink);
    }

    /// <summary>Number of grid steps in (from, to] inside the period (for progress reporting).</summary>
    public long StepsIn(DateTimeOffset fromExclusive, DateTimeOffset toInclusive)
    {
        var (first, last) = _emitter.Steps(fromExclusive, toInclusive);
        return Math.Max(0, last - first + 1);
    }

    /// <summary>The ground truth for a host, or null when it does not fail in the period.</summary>
    public FailureLabel? FailureOf(string hostId) => Failures.FirstOrDefault(f => f.Host == hostId);

    internal HostModel ModelOf(int hostIndex) => _hosts[hostIndex];

    private static FailureLabel Label(InjectedFailure f, HostModel host)
    {
        var component = f.Mode switch
        {
            FailureMode.Disk => "disk:" + host.Disks[f.Component].Name,
            FailureMode.Dimm => "dimm:" + host.Dimms[f.Component].Name,
            FailureMode.Fan => "fan:" + host.Fans[f.Component],
            _ => "psu:" + host.Psus[f.Component],
        };
        return new FailureLabel(host.Id, f.FailsAt, component, f.Cause, f.PrecursorStart);
    }
}
