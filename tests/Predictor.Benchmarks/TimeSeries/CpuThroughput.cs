using System.Diagnostics;
using System.Globalization;

namespace Predictor.Benchmarks.TimeSeries;

/// <summary>
/// Points per CPU-second of each streaming detector, measured with the process CPU time rather than the wall
/// clock so that other load on a shared machine does not count. Same setup as <see cref="StreamingDetectorBenchmarks"/>.
/// Run: <c>dotnet run -c Release --project tests/Predictor.Benchmarks -- cpu-throughput</c>
/// </summary>
public static class CpuThroughput
{
    private const int Rounds = 100;

    public static void Run()
    {
        var bench = new StreamingDetectorBenchmarks();
        bench.Setup();
        var cases = new (string Name, Func<double> Run)[]
        {
            ("IidSpike", bench.IidSpike),
            ("IidChangePoint", bench.IidChangePoint),
            ("SsaSpike", bench.SsaSpike),
            ("SsaChangePoint", bench.SsaChangePoint),
            ("SrCnn", bench.SrCnn),
            ("HostSignalDetectorsWrite", () => bench.HostSignalDetectorsWrite()),
        };
        Console.WriteLine("| detector | points per CPU-second | CPU ns per point | bytes allocated per point |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, run) in cases)
        {
            run();
            var process = Process.GetCurrentProcess();
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            var cpu = process.TotalProcessorTime;
            for (int i = 0; i < Rounds; i++)
            {
                run();
            }

            process.Refresh();
            double seconds = (process.TotalProcessorTime - cpu).TotalSeconds;
            double points = (double)Rounds * StreamingDetectorBenchmarks.Points;
            double bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / points;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {points / seconds:N0} | {seconds / points * 1e9:F0} | {bytes:F2} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"HostSignalDetectors memory per series (defaults): {BytesPerSeries():N0} bytes"));
    }

    private static double BytesPerSeries()
    {
        const int Series = 20_000;
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var detectors = new Predictor.Learning.TimeSeries.Streaming.HostSignalDetectors(new());
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var hosts = Enumerable.Range(0, Series / 40).Select(h => $"host{h}").ToArray();
        var signals = Enumerable.Range(0, 40).Select(s => $"signal_{s}").ToArray();
        foreach (var host in hosts)
        {
            foreach (var signal in signals)
            {
                detectors.Write(new Predictor.Core.Telemetry.TelemetrySample(host, signal, null, at, 1));
            }
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(detectors);
        GC.KeepAlive(hosts);
        GC.KeepAlive(signals);
        return (after - before - (hosts.Length * 40.0) - (signals.Length * 40.0)) / Series;
    }
}
