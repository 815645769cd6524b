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
    }
}
