using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Alerts;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Daemon.Pipeline;
using Predictor.Execution.Executor;
using Predictor.Execution.Hypervisors.Simulated;
using Predictor.Execution.Journal;
using Predictor.Planning;
using Predictor.Testing;
using Predictor.Testing.Alerts;

namespace Predictor.Daemon.Tests.Pipeline;

/// <summary>The plan, execute and outcome stages over a real executor and planner on the simulated hypervisor.</summary>
public sealed class PlanAndExecuteStageTests : IAsyncDisposable
{
    private readonly ManualTimeProvider _clock = new(Fleet.Now);
    private readonly QuarantineSet _quarantine = new();
    private readonly CollectingAlertPublisher _alerts = new();
    private readonly ExecutionOutcomeQueue _outcomes = new(NullLogger<ExecutionOutcomeQueue>.Instance);
    private readonly SqliteExecutionJournal _journal = new(":memory:");
    private readonly Rollout _rollout = new([new HostUpdate("h3", "u1", UpdateKind.HotPatchable)]);
    private readonly PlanExecutor _executor;

    public PlanAndExecuteStageTests()
    {
        _executor = new PlanExecutor(
            new SimulatedHypervisor(Fleet.Inventory(3, "v1@h1", "v2@h1"), _clock), _journal, new ExecutorOptions(), _clock, NullLogger<PlanExecutor>.Instance, _outcomes);
    }

    [Fact]
    public async Task Stages_QuarantinedHostAndAPendingUpdate_EvacuateTheHostPatchTheOtherAndReportTheOutcomes()
    {
        _quarantine.Add(Fleet.Risk("h1", 0.95));
        var pass = Pass(Fleet.Inventory(3, "v1@h1", "v2@h1"));

        Plan().Run(pass, CancellationToken.None);
        await Execute().RunAsync(pass, CancellationToken.None);

        Assert.Equal(["v1", "v2"], pass.Plan!.Migrations.Select(m => m.Vm).Order());
        Assert.Equal([("h3", MaintenanceAction.HotPatch)], pass.Plan.Maintenance.Select(m => (m.Host, m.Action)));
        Assert.Equal(3, pass.Scheduled);
        Assert.Equal(["h3"], _rollout.UnderWay);
        await RunToEndAsync();

        var next = Pass(Fleet.Inventory(3, "v1@h2", "v2@h2"));
        new OutcomeStage(_executor, _outcomes, _rollout, new PlanHistory(), SelfService()).Run(next);

        Assert.Equal(3, next.Finished.Count);
        Assert.All(next.Finished, o => Assert.True(o.Succeeded, o.Message));
        Assert.Equal(0, _rollout.PendingCount);
        Assert.Empty(_rollout.UnderWay);
        Assert.Empty(next.RolloutHalts);
    }

    [Fact]
    public void Run_AutomationStopped_PlansNothing()
    {
        _quarantine.Add(Fleet.Risk("h1", 0.95));
        var pass = Pass(Fleet.Inventory(3, "v1@h1", "v2@h1"));
        pass.AutomationStopped = true;

        Plan().Run(pass, CancellationToken.None);

        Assert.Null(pass.Plan);
        Assert.Null(pass.Request);
    }

    [Fact]
    public async Task RunAsync_VmWithNowhereToGo_PagesOncePerVm()
    {
        var inventory = DatacenterInventory.Create("dc", [Fleet.Host("h1") with { MemoryGiB = 1024 }, Fleet.Host("h2")], [new Vm("big", "h1", 4, 600, 50, "general", 20, true, true)]);
        _quarantine.Add(Fleet.Risk("h1", 0.95));
        var execute = Execute();

        for (var i = 0; i < 2; i++)
        {
            var pass = Pass(inventory);
            Plan().Run(pass, CancellationToken.None);
            await execute.RunAsync(pass, CancellationToken.None);
        }

        var alert = Assert.Single(_alerts.Published);
        Assert.Equal((AlertConditions.VmUnplaced, "VmUnplaced/big", AlertSeverity.Critical), (alert.Condition, alert.DedupKey, alert.Severity));
    }

    public async ValueTask DisposeAsync()
    {
        await _executor.DisposeAsync();
        _journal.Dispose();
    }

    private PassContext Pass(DatacenterInventory inventory) =>
        new(_clock.GetUtcNow(), 0) { Inventory = inventory.WithHostStates(_quarantine.StatesOver(inventory)), Assessments = [.. _quarantine.Snapshot().Values] };

    private PlanStage Plan() => new(
        _executor, _rollout, _quarantine, new MaintenancePlanner(_clock), new PipelineOptions(), new PlanningOptions(), new PlanLimits { CpuOvercommit = 2 }, SelfService());

    private SelfServiceStage SelfService() => new(_rollout, null, NullLogger.Instance);

    private ExecuteStage Execute() => new(
        _executor, _rollout, new PlanHistory(), SelfService(), new EvacuationWatch(TimeSpan.FromHours(1)), new PlanningOptions(), null, [], _alerts, NullLogger.Instance);

    /// <summary>Moves the clock from timer to timer, each time once the executor is idle, until every step has finished.</summary>
    private async Task RunToEndAsync()
    {
        while (_executor.RunningSteps > 0)
        {
            await _executor.WhenIdleAsync();
            Assert.True(_clock.NextDue is not null, "steps are running but no timer is armed");
            _clock.AdvanceTo(_clock.NextDue!.Value);
        }
    }
}
