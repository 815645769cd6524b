using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Predictor.Core.Hypervisors;
using Predictor.Execution.Hypervisors;
using Predictor.Execution.Hypervisors.Qmp;
using Predictor.Testing.Metrics;
using Predictor.Testing.Qemu;

namespace Predictor.Benchmarks.Hypervisors;

/// <summary>
/// Orchestration overhead of <see cref="QemuHypervisor.LiveMigrateAsync"/> over a bare QMP migration of the
/// same VM (a 64 MiB TCG guest whose RAM is full of data, loopback TCP, same downtime limit), and the blackout
/// QEMU reports against that limit. Every iteration gets a fresh source and <c>-incoming defer</c> destination.
/// Run: dotnet run -c Release --project tests/Predictor.Benchmarks -- --filter '*QemuMigration*'
/// </summary>
[Config(typeof(InProcessConfig))]
public class QemuMigrationBenchmarks
{
    private static readonly MigrationOptions Limits = new(TimeSpan.FromMilliseconds(300));
    private readonly List<double> _downtimesMs = [];
    private QemuLab _lab = null!;
    private QemuInstance _source = null!;
    private QemuInstance _destination = null!;
    private int _round;

    [GlobalSetup]
    public void GlobalSetup() => _lab = new QemuLab();

    [IterationSetup]
    public void IterationSetup()
    {
        _round++;
        _source = _lab.StartAsync($"src{_round}", incoming: false).GetAwaiter().GetResult();
        _destination = _lab.StartAsync($"dst{_round}", incoming: true).GetAwaiter().GetResult();
        _source.FillMemoryWithPattern(_round);
    }

    [IterationCleanup]
    public void IterationCleanup()
    {
        _source.KillAsync().GetAwaiter().GetResult();
        _destination.KillAsync().GetAwaiter().GetResult();
        File.Delete(_source.MemoryFile);
        File.Delete(_destination.MemoryFile);
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _lab.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (_downtimesMs.Count > 0)
        {
            _downtimesMs.Sort();
            Console.WriteLine($"// blackout (QEMU-reported downtime) over {_downtimesMs.Count} migrations: min {_downtimesMs[0]:0} ms, median {_downtimesMs[_downtimesMs.Count / 2]:0} ms, max {_downtimesMs[^1]:0} ms; limit {Limits.MaxDowntime.TotalMilliseconds:0} ms");
        }
    }

    /// <summary>Only what a migration needs: parameters, migrate-incoming, migrate, wait for completion and the destination's RESUME.</summary>
    [Benchmark(Baseline = true)]
    public async Task BareQmpMigrate()
    {
        var timeout = TimeSpan.FromSeconds(10);
        await using var src = await QmpClient.ConnectAsync(_source.QmpSocket, timeout, TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        await using var dst = await QmpClient.ConnectAsync(_destination.QmpSocket, timeout, TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        await src.ExecuteAsync("migrate-set-capabilities", new JsonObject
        {
            ["capabilities"] = new JsonArray(
                new JsonObject { ["capability"] = "events", ["state"] = true },
                new JsonObject { ["capability"] = "auto-converge", ["state"] = true }),
        }, CancellationToken.None);
        await src.ExecuteAsync("migrate-set-parameters", new JsonObject
        {
            ["downtime-limit"] = (long)Limits.MaxDowntime.TotalMilliseconds,
            ["max-bandwidth"] = QemuHypervisor.UnlimitedBandwidthBytesPerSecond,
        }, CancellationToken.None);
        var resumed = dst.WaitForEventAsync(e => e.Name == "RESUME", CancellationToken.None);
        await dst.ExecuteAsync("migrate-incoming", new JsonObject { ["uri"] = _destination.IncomingUri }, CancellationToken.None);
        var completed = src.WaitForEventAsync(e => e.MigrationStatus is "completed" or "failed" or "cancelled", CancellationToken.None);
        await src.ExecuteAsync("migrate", new JsonObject { ["uri"] = _destination.IncomingUri }, CancellationToken.None);
        var end = await completed.WaitAsync(TimeSpan.FromSeconds(60));
        if (end.MigrationStatus != "completed")
        {
            throw new InvalidOperationException($"bare migration ended {end.MigrationStatus}");
        }

        await resumed.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>The adapter: state checks, parameters, migrate, progress polling, switch-over verification, retiring the source.</summary>
    [Benchmark]
    public async Task QemuHypervisorLiveMigrate()
    {
        var options = new QemuHypervisorOptions();
        options.Instances.Add(new QemuInstanceOptions { Vm = "vm", Host = "h1", QmpSocket = _source.QmpSocket });
        options.Instances.Add(new QemuInstanceOptions { Vm = "vm", Host = "h2", QmpSocket = _destination.QmpSocket, IncomingUri = _destination.IncomingUri });
        var hypervisor = new QemuHypervisor(Options.Create(options), TimeProvider.System, NullLogger<QemuHypervisor>.Instance, new HypervisorMetrics(MeterFactory));
        var result = await hypervisor.LiveMigrateAsync("vm", "h1", "h2", Limits, null, CancellationToken.None);
        _downtimesMs.Add(result.Downtime.TotalMilliseconds);
    }

    /// <summary>
    /// In-process: the benchmark's cost is QEMU's, so nothing is gained from a separate build, which on a
    /// busy machine can exceed BenchmarkDotNet's build timeout.
    /// </summary>
    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig()
        {
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(30).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
        }
    }

    private static readonly IMeterFactory MeterFactory = new TestMeterFactory();
}
