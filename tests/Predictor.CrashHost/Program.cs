using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Predictor.Core.Hypervisors;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Execution.Executor;
using Predictor.Execution.Hypervisors;
using Predictor.Execution.Hypervisors.Qmp;
using Predictor.Execution.Journal;

namespace Predictor.CrashHost;

/// <summary>
/// Evacuates host h1 to h2 on real QEMU: recovers what a killed predecessor left in the journal, submits the
/// evacuation plan (one live migration per VM) and waits for it. Every log entry goes to stdout as
/// "LEVEL EVENT-ID message". With a kill line N the host SIGKILLs itself right after writing its N-th log line
/// (0: before doing anything), having first written <see cref="KillMarker"/> and N, so the test knows the kill
/// happened where it meant it to; a run that ends without reaching line N says <see cref="DoneMarker"/> instead.
/// Usage: Predictor.CrashHost &lt;hypervisors.json&gt; &lt;journal.db&gt; &lt;vm count&gt; [kill after line]
/// </summary>
public static class Program
{
    /// <summary>The last line of a host that killed itself: "KILLED after line N".</summary>
    public const string KillMarker = "KILLED after line ";

    /// <summary>The start of the last line of a host that ran to the end.</summary>
    public const string DoneMarker = "crash host done";

    public static async Task<int> Main(string[] args)
    {
        int? killAfterLine = null;
        if (args.Length is not (3 or 4) || !int.TryParse(args[2], out var vmCount) || vmCount < 1 ||
            (args.Length == 4 && !(int.TryParse(args[3], out var line) && (killAfterLine = line) >= 0)))
        {
            await Console.Error.WriteLineAsync("usage: Predictor.CrashHost <hypervisors.json> <journal.db> <vm count> [kill after line]");
            return 2;
        }

        var logger = new StdoutLoggerProvider(killAfterLine);
        logger.KillIfDue();

        var configuration = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(args[0])).Build();
        var services = new ServiceCollection()
            .AddLogging(b => b.ClearProviders().AddProvider(logger).SetMinimumLevel(LogLevel.Information))
            .Configure<QemuHypervisorOptions>(configuration.GetSection(QemuHypervisorOptions.SectionName))
            .AddQemuHypervisor();
        await using var provider = services.BuildServiceProvider();
        var hypervisor = provider.GetRequiredKeyedService<IHypervisor>(HypervisorServiceCollectionExtensions.QemuKey);
        var time = TimeProvider.System;
        using var journal = new SqliteExecutionJournal(args[1]);
        var options = new ExecutorOptions { MaxDowntime = TimeSpan.FromMilliseconds(300), StepTimeout = TimeSpan.FromSeconds(60), JournalPath = args[1] };
        await using var executor = new PlanExecutor(hypervisor, journal, options, time, provider.GetRequiredService<ILogger<PlanExecutor>>());

        var recovered = await executor.RecoverAsync(CancellationToken.None);
        var vms = Enumerable.Range(0, vmCount).Select(i => $"vm-{i}").ToArray();
        var inventory = DatacenterInventory.Create(
            "crash-test",
            [new Host("h1", "r1", 0, 0, 1, 8, 64, 100, 10), new Host("h2", "r2", 1, 1, 1, 8, 64, 100, 10)],
            vms.Select(vm => new Vm(vm, "h1", 1, 0.0625, 1, "general", 1, LiveMigratable: true, MemoryPreservingCapable: true)));
        var plan = new MaintenancePlan
        {
            Migrations = [.. vms.Select(vm => new MigrationStep(vm, "h1", "h2", MigrationKind.Live, 0, 1, 0.0625, 300, "evacuate h1"))],
            AtRisk = ["h1"],
            Limits = new PlanLimits { MaxConcurrent = 2, MaxOutboundPerHost = 2, MaxInboundPerHost = 2 },
        };
        var scheduled = executor.Submit(plan, inventory, "evacuate-h1", time.GetUtcNow());
        await executor.DrainAsync();
        Console.WriteLine($"INFO 0 {DoneMarker}: recovered {recovered} in-flight steps, scheduled {scheduled}, {logger.Lines} log lines");
        return 0;
    }

    /// <summary>Writes log entries to stdout, one a line, and counts them; kills the process at the chosen line.</summary>
    private sealed class StdoutLoggerProvider(int? killAfterLine) : ILoggerProvider, ILogger
    {
        private readonly Lock _gate = new();

        public int Lines { get; private set; }

        public ILogger CreateLogger(string categoryName) => this;

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_gate)
            {
                Console.Out.WriteLine($"{logLevel} {eventId.Id} {formatter(state, exception)}");
                Lines++;
                KillIfDue();
                Console.Out.Flush();
            }
        }

        /// <summary>SIGKILL, right here: nothing after the kill line runs, not even a finally.</summary>
        public void KillIfDue()
        {
            lock (_gate)
            {
                if (Lines == killAfterLine)
                {
                    Console.Out.WriteLine($"{KillMarker}{Lines}");
                    Console.Out.Flush();
                    Process.GetCurrentProcess().Kill();
                }
            }
        }
    }
}
