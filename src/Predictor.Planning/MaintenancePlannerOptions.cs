namespace Predictor.Planning;

/// <summary>Choices of the planner that are not limits of the datacenter (those are in <c>PlanLimits</c> and <c>PlanningOptions</c>).</summary>
public sealed record MaintenancePlannerOptions
{
    /// <summary>Throttle a guest whose dirty rate keeps its live migration from converging (QEMU auto-converge).</summary>
    /// <value>The default value is true.</value>
    public bool AllowAutoConverge { get; init; } = true;

    /// <summary>Move VMs that cannot live-migrate (or would not converge) by stopping, copying and booting them elsewhere.</summary>
    /// <value>The default value is true.</value>
    public bool AllowColdMoves { get; init; } = true;
}
