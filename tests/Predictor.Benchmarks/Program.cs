using System.Globalization;
using BenchmarkDotNet.Running;
using Predictor.Benchmarks.Learning;

namespace Predictor.Benchmarks;

/// <summary>
/// Run with: dotnet run -c Release --project tests/Predictor.Benchmarks -- --filter '*'.
/// <c>-- --export-inventory &lt;path&gt; [--hosts N] [--vms-per-host N] [--seed N]</c> writes the planner benchmark's
/// seeded inventory.json instead (defaults 50,000 hosts, 10 VMs per host, seed 1), for measuring <c>predictor plan</c>.
/// <c>-- scoring-throughput [rows] [threads]</c> and <c>-- cpu-throughput</c> print tree-scoring and streaming-detector
/// rates in wall and CPU time (useful on a shared machine). <c>-- window-memory [hosts] [series] [days]</c> reports the
/// memory of the per-host telemetry windows for a datacenter of that size; <c>-- push-windows [batches]</c> the cost of
/// each stage of the daemon's push path (parse and map, windows, streaming detectors). <c>-- hot-restart-blackout [swaps]
/// [sizes MiB] [live migrations]</c> measures the QEMU hot-restart blackout beside the memory-preserving pause and the
/// live-migration downtime.
/// </summary>
public static class BenchmarkProgram
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "scoring-throughput")
        {
            ScoringThroughput.Run(args.Skip(1).ToArray());
            return;
        }

        if (args.Length > 0 && args[0] == "push-windows")
        {
            Telemetry.PushToWindows.Run(args.Skip(1).ToArray());
            return;
        }

        if (args.Length > 0 && args[0] == "window-memory")
        {
            Telemetry.WindowMemory.Run(args.Skip(1).ToArray());
            return;
        }

        if (args.Length > 0 && args[0] == "hot-restart-blackout")
        {
            Hypervisors.HotRestartBlackout.Run(args.Skip(1).ToArray());
            return;
        }

        if (args is ["cpu-throughput"])
        {
            TimeSeries.CpuThroughput.Run();
            return;
        }

        var export = Array.IndexOf(args, "--export-inventory");
        if (export >= 0 && export + 1 < args.Length)
        {
            int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length
                ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
            PlannerBenchmarks.Export(args[export + 1], Arg("--hosts", 50_000), Arg("--vms-per-host", 10), Arg("--seed", 1));
            Console.WriteLine($"wrote {args[export + 1]}");
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }
}
