using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Predictor.Core.Hypervisors;
using Predictor.Execution.Hypervisors;
using Predictor.Execution.Hypervisors.Qmp;
using Predictor.Testing.Metrics;
using Predictor.Testing.Qemu;

namespace Predictor.Benchmarks.Hypervisors;

/// <summary>
/// <c>-- hot-restart-blackout [swaps] [sizes MiB, comma-separated] [live migrations]</c> (defaults 20, 256,512,1024, 5):
/// per guest size, a TCG VM whose shared RAM is full of data is hot-restarted <c>swaps</c> times through
/// <see cref="QemuHypervisor.HotRestartAsync"/> (blackout: the old process's STOP to the new one's RESUME); then paused
/// and resumed as many times through the adapter with nothing in between (the floor of a memory-preserving pause, whose
/// real length is the host update's); then live-migrated over loopback TCP to a fresh <c>-incoming defer</c> instance
/// (QEMU's reported downtime, 300 ms limit). Prints median and max of each, and the load average before and after.
/// </summary>
internal static class HotRestartBlackout
{
    private static readonly IMeterFactory MeterFactory = new TestMeterFactory();

    public static void Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task RunAsync(string[] args)
    {
        var swaps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var sizes = args.Length > 1 ? args[1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : [256, 512, 1024];
        var migrations = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        Console.WriteLine($"load before: {Load()}; {Environment.ProcessorCount} cores, TCG, QEMU {QemuVersion()}");
        Console.WriteLine("| guest | hot-restart blackout (n) | whole swap, guest running but for the blackout | memory-preserving pause floor (n) | live-migration downtime (n) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var size in sizes)
        {
            await using var lab = new QemuLab();
            var vm = await lab.StartAsync("vm", incoming: false, memoryMiB: size);
            vm.FillMemoryWithPattern(size);
            var hypervisor = Create(lab, vm, size, destination: null);
            var blackouts = new List<double>();
            var swapsMs = new List<double>();
            for (var i = 0; i < swaps; i++)
            {
                var result = await hypervisor.HotRestartAsync("vm", "h1", CancellationToken.None);
                blackouts.Add(result.Blackout.TotalMilliseconds);
                swapsMs.Add(result.Duration.TotalMilliseconds);
            }

            var pauses = new List<double>();
            for (var i = 0; i < swaps; i++)
            {
                await hypervisor.PauseAsync("vm", "h1", CancellationToken.None);
                await hypervisor.ResumeAsync("vm", "h1", CancellationToken.None);
                pauses.Add(hypervisor.LastPause("vm", "h1")!.Value.TotalMilliseconds);
            }

            var downtimes = new List<double>();
            for (var i = 0; i < migrations; i++)
            {
                var source = await lab.StartAsync($"src{i}", incoming: false, memoryMiB: size);
                source.FillMemoryWithPattern(i);
                var destination = await lab.StartAsync($"dst{i}", incoming: true, memoryMiB: size);
                var migrating = Create(lab, source, size, destination);
                var result = await migrating.LiveMigrateAsync("vm", "h1", "h2", new MigrationOptions(TimeSpan.FromMilliseconds(300)), null, CancellationToken.None);
                downtimes.Add(result.Downtime.TotalMilliseconds);
                await destination.KillAsync();
                File.Delete(source.MemoryFile);
                File.Delete(destination.MemoryFile);
            }

            Console.WriteLine($"| {size} MiB | {Figures(blackouts)} | {Figures(swapsMs)} | {Figures(pauses)} | {Figures(downtimes)} |");
        }

        Console.WriteLine($"load after: {Load()}");
    }

    private static QemuHypervisor Create(QemuLab lab, QemuInstance vm, int size, QemuInstance? destination)
    {
        var options = new QemuHypervisorOptions { ProgressPollInterval = TimeSpan.FromMilliseconds(20) };
        options.Instances.Add(new QemuInstanceOptions { Vm = "vm", Host = "h1", QmpSocket = vm.QmpSocket, HotRestartCommand = lab.CommandOf(vm.Name, size) });
        if (destination is not null)
        {
            options.Instances.Add(new QemuInstanceOptions { Vm = "vm", Host = "h2", QmpSocket = destination.QmpSocket, IncomingUri = destination.IncomingUri });
        }

        return new QemuHypervisor(Options.Create(options), TimeProvider.System, NullLogger<QemuHypervisor>.Instance, new HypervisorMetrics(MeterFactory));
    }

    private static string Figures(List<double> values)
    {
        if (values.Count == 0)
        {
            return "–";
        }

        values.Sort();
        var median = values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
        return string.Create(CultureInfo.InvariantCulture, $"median {median:0.0} ms, max {values[^1]:0.0} ms ({values.Count})");
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string QemuVersion()
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(QemuLab.FindQemu(), "--version") { RedirectStandardOutput = true })!;
        var line = process.StandardOutput.ReadLine() ?? "";
        process.WaitForExit();
        return line.Replace("QEMU emulator version ", "", StringComparison.Ordinal);
    }
}
