using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Core.Risk;
using Predictor.Execution.Executor;

namespace Predictor.Daemon.Pipeline;

/// <summary>What one pass knows so far; each stage reads what the stages before it left and adds its own part.</summary>
internal sealed class PassContext(DateTimeOffset now, int number)
{
    public DateTimeOffset Now { get; } = now;

    /// <summary>The pass's number since start, for plan ids.</summary>
    public int Number { get; } = number;

    /// <summary>False for a standby's pass: it assesses but changes nothing and tells nobody.</summary>
    public bool Acting { get; init; } = true;

    /// <summary>Steps the executor finished since the previous pass.</summary>
    public IReadOnlyList<ExecutionOutcome> Finished { get; set; } = [];

    /// <summary>Hosts whose failed update has just stopped the rollout, with the step that failed last.</summary>
    public List<(string Host, ExecutionOutcome Last)> RolloutHalts { get; } = [];

    /// <summary>The datacenter as the hypervisors report it, before the daemon's quarantines are laid over it.</summary>
    public DatacenterInventory Reported { get; set; } = null!;

    /// <summary>Alerts about the serving model (a load failure, its resolution) to raise in this pass.</summary>
    public IReadOnlyList<Core.Alerts.Alert> ModelAlerts { get; set; } = [];

    /// <summary>The datacenter as the hypervisors report it, with the daemon's quarantines applied.</summary>
    public DatacenterInventory Inventory { get; set; } = null!;

    /// <summary>Features of the hosts with fresh telemetry (stale hosts are never assessed).</summary>
    public List<HostFeatures> Fresh { get; } = [];

    public IReadOnlyList<RiskAssessment> Assessments { get; set; } = [];

    /// <summary>Hosts at or above the threshold that were not quarantined before this pass.</summary>
    public IReadOnlyList<RiskAssessment> NewlyAtRisk { get; set; } = [];

    /// <summary>Pause, kill switch or blast-radius guard: the pass assesses and alerts but does not act.</summary>
    public bool AutomationStopped { get; set; }

    /// <summary>What the planner was asked, null when there was nothing to plan.</summary>
    public PlanRequest? Request { get; set; }

    /// <summary>The plan to execute; null when there was nothing to plan or the validator rejected it.</summary>
    public MaintenancePlan? Plan { get; set; }

    /// <summary>The inventory the plan was made from (in-flight moves counted on their destinations).</summary>
    public DatacenterInventory? PlanningInventory { get; set; }

    /// <summary>The id of the plan handed to the executor, null when none was.</summary>
    public string? PlanId { get; set; }

    /// <summary>Steps handed to the executor.</summary>
    public int Scheduled { get; set; }
}
