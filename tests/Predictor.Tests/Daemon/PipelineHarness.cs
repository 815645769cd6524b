using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Daemon;
using Predictor.Daemon.Automation;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;
using Predictor.Learning.Rules;
using Predictor.Planning;
using Predictor.Telemetry.Windows;
using Predictor.Testing;
using Predictor.Testing.Alerts;

namespace Predictor.Tests.Daemon;

/// <summary>The real pipeline over a scripted datacenter on a manual clock; failures strike exactly at their time.</summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private readonly string _journalPath = Path.Combine(Path.GetTempPath(), $"predictor-test-{Guid.NewGuid():N}.db");
    private readonly List<(string Host, DateTimeOffset At)> _failures = [];

    /// <param name="guard">With a guard, the pipeline runs under an <see cref="AutomationControl"/> (pause, kill switch, blast-radius guard).</param>
    public PipelineHarness(DatacenterInventory inventory, PipelineOptions? options = null, IEnumerable<HostUpdate>? updates = null, BlastRadiusOptions? guard = null)
    {
        Clock = new ManualTimeProvider();
        Start = Clock.GetUtcNow();
        Datacenter = new ScriptedDatacenter(inventory, Clock, Start - TimeSpan.FromHours(6));
        Datacenter.Updates.AddRange(updates ?? []);
        Recorder = new RunRecorder(Clock);
        Journal = new SqliteExecutionJournal(_journalPath);
        Updater = new ScriptedUpdater(Clock);
        Executor = new PlanExecutor(Datacenter.Hypervisor, Journal, new ExecutorOptions(), Clock, NullLogger<PlanExecutor>.Instance, Recorder, Updater);
        Options = options ?? new PipelineOptions();
        Alerts = new CollectingAlertPublisher();
        Automation = guard is null ? null : new AutomationControl(Executor, Alerts, new AutomationOptions(), guard, Clock, AutomationLogger);
        Pipeline = new PredictorPipeline(
            Datacenter, Datacenter, new HostWindowStore(), new RuleBasedRiskAssessor(new RuleAssessorOptions()),
            new MaintenancePlanner(Clock), Executor, Alerts, Recorder, Options, new PlanningOptions(), new PlanLimits { CpuOvercommit = 2 },
            Clock, NullLogger<PredictorPipeline>.Instance, automation: Automation);
    }

    public ManualTimeProvider Clock { get; }

    public DateTimeOffset Start { get; }

    public ScriptedDatacenter Datacenter { get; }

    public RunRecorder Recorder { get; }

    public SqliteExecutionJournal Journal { get; }

    public PlanExecutor Executor { get; }

    public ScriptedUpdater Updater { get; }

    public PipelineOptions Options { get; }

    public PredictorPipeline Pipeline { get; }

    public CollectingAlertPublisher Alerts { get; }

    /// <summary>Null unless the harness was given a blast-radius guard.</summary>
    public AutomationControl? Automation { get; }

    public FakeLogger<AutomationControl> AutomationLogger { get; } = new();

    /// <summary>Snapshots taken after every pass, for invariants over the whole run.</summary>
    public List<DatacenterInventory> Snapshots { get; } = [];

    public void FailAt(string host, DateTimeOffset at) => _failures.Add((host, at));

    /// <summary>Runs passes every interval until <paramref name="end"/>, letting migrations finish in between.</summary>
    public async Task RunUntilAsync(DateTimeOffset end)
    {
        while (Clock.GetUtcNow() < end)
        {
            await Pipeline.RunPassAsync(CancellationToken.None);
            var passEnd = Clock.GetUtcNow() + Options.Interval;
            while (Clock.GetUtcNow() < passEnd)
            {
                var step = Executor.RunningSteps > 0 ? TimeSpan.FromSeconds(5) : passEnd - Clock.GetUtcNow();
                var next = Clock.GetUtcNow() + step;
                foreach (var f in _failures.Where(f => f.At > Clock.GetUtcNow() && f.At <= next).ToList())
                {
                    Clock.AdvanceTo(f.At);
                    await SettleAsync();
                    Datacenter.Dead.Add(f.Host);
                    Recorder.HostFailed(f.Host, f.At, Datacenter.Hypervisor.FailHost(f.Host));
                }

                Clock.AdvanceTo(next);
                await SettleAsync();
            }

            Snapshots.Add(Datacenter.Hypervisor.Snapshot());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Executor.DisposeAsync();
        Journal.Dispose();
        File.Delete(_journalPath);
    }

    /// <summary>Lets continuations released by the clock run (they run on the thread pool).</summary>
    private static async Task SettleAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            await Task.Yield();
            await Task.Delay(1);
        }
    }
}
