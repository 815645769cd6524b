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
/// "LEVEL EVENT-ID message" so the crash test can pick its kill point.
/// Usage: Predictor.CrashHost &lt;hypervisors.json&gt; &lt;journal.db&gt; &lt;vm count&gt;
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 3 || !int.TryParse(args[2], out var vmCount) || vmCount < 1)
        {
            await Console.Error.WriteLineAsync("usage: Predictor.CrashHost <hypervisors.json> <journal.db> <vm count>");
            return 2;
        }

        var configuration = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(args[0])).Build();
        var services = new ServiceCollection()
            .AddLogging(b => b.ClearProviders().AddProvider(new StdoutLoggerProvider()).SetMinimumLevel(LogLevel.Information))
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
        Console.WriteLine($"INFO 0 crash host done: recovered {recovered} in-flight steps, scheduled {scheduled}");
        return 0;
    }

    private sealed class StdoutLoggerProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new StdoutLogger();

        public void Dispose()
        {
        }
    }

    private sealed class StdoutLogger : ILogger
    {
        private static readonly object Gate = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Gate)
            {
                Console.Out.WriteLine($"{logLevel} {eventId.Id} {formatter(state, exception)}");
                Console.Out.Flush();
            }
        }
    }
}
