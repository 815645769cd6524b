using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Core.Telemetry;
using Predictor.Execution.Hypervisors.Simulated;

namespace Predictor.Daemon.Tests.Support;

/// <summary>
/// A small hand-made datacenter: healthy telemetry for every host, and per host an optional scripted
/// disk precursor (reallocated sectors growing from a start time) and failure time.
/// </summary>
internal sealed class ScriptedDatacenter : IDatacenter, ITelemetrySource
{
    private readonly Dictionary<string, DateTimeOffset> _precursorStart = new(StringComparer.Ordinal);
    private DateTimeOffset _emittedUntil;

    public ScriptedDatacenter(DatacenterInventory inventory, TimeProvider time, DateTimeOffset historyFrom)
    {
        Hypervisor = new SimulatedHypervisor(inventory, time);
        _emittedUntil = historyFrom;
        Interval = TimeSpan.FromMinutes(5);
    }

    public SimulatedHypervisor Hypervisor { get; }

    public TimeSpan Interval { get; }

    public List<HostUpdate> Updates { get; } = [];

    public IReadOnlyList<HostUpdate> PendingUpdates => Updates;

    public HashSet<string> Dead { get; } = new(StringComparer.Ordinal);

    public void DiskPrecursor(string host, DateTimeOffset from) => _precursorStart[host] = from;

    /// <summary>The host's disk was replaced: from now on its SMART counters read zero again.</summary>
    public void Repair(string host) => _precursorStart.Remove(host);

    public DatacenterInventory Inventory() => Hypervisor.Snapshot();

    public ValueTask IngestUntilAsync(DateTimeOffset now, ITelemetrySink sink, CancellationToken cancellationToken)
    {
        var hosts = Hypervisor.Snapshot().Hosts.Select(h => h.Id).ToArray();
        for (var t = _emittedUntil + Interval; t <= now; t += Interval)
        {
            foreach (var host in hosts.Where(h => !Dead.Contains(h)))
            {
                var reallocated = _precursorStart.TryGetValue(host, out var from) && t >= from ? Math.Floor((t - from).TotalHours * 2) : 0;
                sink.Write(new TelemetrySample(host, SignalNames.SmartReallocatedSectors, "sda", t, reallocated));
                sink.Write(new TelemetrySample(host, SignalNames.SmartPendingSectors, "sda", t, 0));
                sink.Write(new TelemetrySample(host, SignalNames.CpuTemperature, null, t, 55));
                sink.Write(new TelemetrySample(host, SignalNames.FanSpeed, "fan1", t, 8000));
                sink.Write(new TelemetrySample(host, SignalNames.PsuOk, "psu1", t, 1));
                sink.Write(new TelemetrySample(host, SignalNames.MemoryCorrectableTotal, null, t, 3));
            }

            _emittedUntil = t;
        }

        return ValueTask.CompletedTask;
    }

    public static DatacenterInventory SmallInventory()
    {
        var hosts = Enumerable.Range(1, 6).Select(i => new Host($"h{i}", $"r{i}", i, i % 2, 4, 32, 256, 2000, 25)).ToList();
        var vms = new List<Vm>
        {
            new("v1", "h1", 4, 32, 50, "general", 50, true, true, "web"),
            new("v2", "h1", 4, 16, 50, "general", 20, true, true),
            new("v3", "h1", 8, 64, 50, "memory", 200, true, true),
            new("v4", "h2", 4, 16, 50, "general", 20, true, true, "web"),
            new("v5", "h2", 4, 16, 50, "gpu", 20, false, false),
            new("v6", "h3", 4, 16, 50, "general", 20, true, true),
            new("v7", "h4", 4, 16, 50, "gpu", 20, true, false),
        };
        return DatacenterInventory.Create("test", hosts, vms);
    }
}
