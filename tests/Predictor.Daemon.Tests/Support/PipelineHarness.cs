using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Daemon.Automation;
using Predictor.Daemon.Pipeline;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;
using Predictor.Learning.Rules;
using Predictor.Notifications.OwnerEvents;
using Predictor.Planning;
using Predictor.Simulation.Scenarios;
using Predictor.Telemetry.Windows;
using Predictor.Testing;
using Predictor.Testing.Alerts;

namespace Predictor.Daemon.Tests.Support;

/// <summary>The real pipeline over a scripted datacenter on a manual clock; failures strike exactly at their time.</summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private readonly string _journalPath = Path.Combine(Path.GetTempPath(), $"predictor-test-{Guid.NewGuid():N}.db");
    private readonly List<(string Host, DateTimeOffset At)> _failures = [];

    /// <param name="guard">With a guard, the pipeline runs under an <see cref="AutomationControl"/> (pause, kill switch, blast-radius guard).</param>
    /// <param name="selfServiceWindow">With a window, the pipeline announces self-service updates in a real owner-event store (<see cref="OwnerEvents"/>).</param>
    public PipelineHarness(
        DatacenterInventory inventory, PipelineOptions? options = null, IEnumerable<HostUpdate>? updates = null, BlastRadiusOptions? guard = null, TimeSpan? selfServiceWindow = null,
        Predictor.Daemon.State.DaemonStateStore? state = null, Predictor.Daemon.Outcomes.OutcomeRecorder? recorder = null, Predictor.Daemon.Models.ActiveRiskModel? model = null)
    {
        Clock = new ManualTimeProvider();
        Start = Clock.GetUtcNow();
        Datacenter = new ScriptedDatacenter(inventory, Clock, Start - TimeSpan.FromHours(6));
        Datacenter.Updates.AddRange(updates ?? []);
        Recorder = new RunRecorder(Clock);
        Journal = new SqliteExecutionJournal(_journalPath);
        Updater = new ScriptedUpdater(Clock);
        var outcomes = new ExecutionOutcomeQueue(NullLogger<ExecutionOutcomeQueue>.Instance);
        Executor = new PlanExecutor(Datacenter.Hypervisor, Journal, new ExecutorOptions(), Clock, NullLogger<PlanExecutor>.Instance, new ExecutionObservers(Recorder, outcomes), Updater);
        Options = options ?? new PipelineOptions();
        Alerts = new CollectingAlertPublisher();
        OwnerEvents = selfServiceWindow is { } window
            ? new MaintenanceEventStore(new OwnerEventsOptions { DatabasePath = ":memory:", SelfServiceWindow = window }, Clock, NullLogger<MaintenanceEventStore>.Instance)
            : null;
        Automation = guard is null ? null : new AutomationControl(Executor, Alerts, new AutomationOptions(), guard, Clock, AutomationLogger, state: state);
        Pipeline = new PredictorPipeline(new PipelineParts
        {
            Datacenter = Datacenter,
            Telemetry = Datacenter,
            Windows = new HostWindowStore(),
            Risk = new RiskAssessorChoice(new RuleBasedRiskAssessor(new RuleAssessorOptions()), null),
            Model = model,
            Recorder = recorder,
            Planner = new MaintenancePlanner(Clock),
            Executor = Executor,
            Outcomes = outcomes,
            Alerts = Alerts,
            Options = Options,
            Limits = new PlanLimits { CpuOvercommit = 2 },
            Planning = new PlanningOptions { SelfServiceWindow = selfServiceWindow ?? new PlanningOptions().SelfServiceWindow },
            OwnerEvents = OwnerEvents,
            State = state,
            Time = Clock,
            MachineClock = Clock,
            Loggers = NullLoggerFactory.Instance,
            Automation = Automation,
            Observers = [Recorder],
        });
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

    /// <summary>Null unless the harness was given a self-service window.</summary>
    public MaintenanceEventStore? OwnerEvents { get; }

    /// <summary>Null unless the harness was given a blast-radius guard.</summary>
    public AutomationControl? Automation { get; }

    public FakeLogger<AutomationControl> AutomationLogger { get; } = new();

    /// <summary>Snapshots taken after every pass, for invariants over the whole run.</summary>
    public List<DatacenterInventory> Snapshots { get; } = [];

    public void FailAt(string host, DateTimeOffset at) => _failures.Add((host, at));

    /// <summary>
    /// Runs passes every interval until <paramref name="end"/>. In between, the clock jumps to the next timer (or
    /// scripted failure) only once the executor is idle, so what happens depends on the script alone.
    /// </summary>
    public async Task RunUntilAsync(DateTimeOffset end)
    {
        while (Clock.GetUtcNow() < end)
        {
            await Pipeline.RunPassAsync(CancellationToken.None);
            var passEnd = Clock.GetUtcNow() + Options.Interval;
            while (Clock.GetUtcNow() < passEnd)
            {
                await Executor.WhenIdleAsync();
                var now = Clock.GetUtcNow();
                var next = Clock.NextDue is { } due && due < passEnd ? due : passEnd;
                if (_failures.Where(f => f.At > now && f.At <= next).OrderBy(f => f.At).Select(f => (f.Host, f.At)).FirstOrDefault() is { Host: not null } failure)
                {
                    Clock.AdvanceTo(failure.At);
                    await Executor.WhenIdleAsync();
                    Datacenter.Dead.Add(failure.Host);
                    Recorder.HostFailed(failure.Host, failure.At, Datacenter.Hypervisor.FailHost(failure.Host));
                    continue;
                }

                Clock.AdvanceTo(next);
            }

            await Executor.WhenIdleAsync();
            Snapshots.Add(Datacenter.Hypervisor.Snapshot());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Executor.DisposeAsync();
        Journal.Dispose();
        OwnerEvents?.Dispose();
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
