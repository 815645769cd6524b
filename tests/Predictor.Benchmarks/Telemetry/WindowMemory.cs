using System.Diagnostics;
using System.Globalization;
using Predictor.Core.Telemetry;
using Predictor.Telemetry.Windows;

namespace Predictor.Benchmarks.Telemetry;

/// <summary>
/// <c>-- window-memory [hosts] [series per host] [days]</c> (defaults 50,000, 40, 7): fills a <see cref="HostWindowStore"/>
/// as a datacenter of that size would after <c>days</c> of telemetry every 60 s (one sample per hour for the older
/// history, every 60 s for the newest 70 minutes, which is what the buckets keep), then prints the managed heap
/// after a full compacting collection, the process working set and the bytes per series.
/// </summary>
internal static class WindowMemory
{
    /// <summary>Signals and component counts of a typical host; repeated in order until the series count is reached.</summary>
    private static readonly (string Signal, string[] Components)[] s_host =
    [
        (SignalNames.SmartReallocatedSectors, ["sda", "sdb"]), (SignalNames.SmartPendingSectors, ["sda", "sdb"]),
        (SignalNames.SmartReportedUncorrectable, ["sda", "sdb"]), (SignalNames.SmartCommandTimeout, ["sda", "sdb"]),
        (SignalNames.SmartOfflineUncorrectable, ["sda", "sdb"]), (SignalNames.SmartTemperature, ["sda", "sdb"]),
        (SignalNames.SmartPowerOnHours, ["sda", "sdb"]),
        (SignalNames.MemoryCorrectableTotal, ["A1", "A2", "B1", "B2", "C1", "C2", "D1", "D2"]),
        (SignalNames.MemoryUncorrectableTotal, [""]), (SignalNames.MachineChecksTotal, [""]), (SignalNames.CpuTemperature, [""]),
        (SignalNames.InletTemperature, [""]), (SignalNames.CpuLoad, [""]),
        (SignalNames.FanSpeed, ["1", "2", "3", "4", "5", "6"]), (SignalNames.PsuOk, ["1", "2"]), (SignalNames.NicErrorsTotal, ["eth0", "eth1"]),
        (SignalNames.SmartReallocatedSectors, ["sdc", "sdd"]), (SignalNames.SmartPendingSectors, ["sdc", "sdd"]),
        (SignalNames.SmartTemperature, ["sdc", "sdd"]),
    ];

    public static void Run(string[] args)
    {
        var hosts = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
        var perHost = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40;
        var days = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 7;
        var series = Series(perHost);
        var now = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var hostIds = Enumerable.Range(0, hosts).Select(i => "host-" + i.ToString("D6", CultureInfo.InvariantCulture)).ToArray();
        var before = Heap();
        var wall = Stopwatch.StartNew();
        var store = new HostWindowStore();
        Parallel.For(0, hosts, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, h => Fill(store, hostIds[h], series, now, days));
        var fill = wall.Elapsed;
        var after = Heap();
        var features = store.Features(hostIds[^1], now);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var total = (long)hosts * perHost;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"window-memory: {hosts} hosts x {perHost} series ({total} series), {days} days of history, filled in {fill.TotalSeconds:0.0} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  managed heap after full GC: {(after - before) / 1048576.0:0} MiB for the windows ({after / 1048576.0:0} MiB in all), {(double)(after - before) / total:0} bytes per series"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  working set: {process.WorkingSet64 / 1048576.0:0} MiB (peak {process.PeakWorkingSet64 / 1048576.0:0} MiB); budget 2048 MiB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  check: {features.Values.Count} features of {hostIds[^1]}, last seen {features.LastSeen:u}"));
        GC.KeepAlive(store);
    }

    private static (string Signal, string? Component)[] Series(int count)
    {
        var all = s_host.SelectMany(s => s.Components.Select(c => (s.Signal, Component: c.Length == 0 ? null : c))).ToArray();
        return Enumerable.Range(0, count).Select(i => i < all.Length ? all[i] : (all[i % all.Length].Signal, (all[i % all.Length].Component ?? "") + "-" + (i / all.Length).ToString(CultureInfo.InvariantCulture))).ToArray();
    }

    /// <summary>One sample per hour up to 70 minutes before <paramref name="now"/>, then one every 60 s; counters grow, gauges wander.</summary>
    private static void Fill(HostWindowStore store, string host, (string Signal, string? Component)[] series, DateTimeOffset now, int days)
    {
        var start = now - TimeSpan.FromDays(days);
        var recent = now - TimeSpan.FromMinutes(70);
        var step = 0;
        for (var t = start; t <= now; t += t < recent ? TimeSpan.FromHours(1) : TimeSpan.FromMinutes(1), step++)
        {
            foreach (var (signal, component) in series)
            {
                store.Write(new TelemetrySample(host, signal, component, t, signal.EndsWith("_total", StringComparison.Ordinal) ? step : 40 + (step % 17)));
            }
        }
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
