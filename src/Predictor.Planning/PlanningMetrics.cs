using System.Diagnostics.Metrics;

namespace Predictor.Planning;

/// <summary>The planner's instruments (meter "Predictor.Planning").</summary>
internal static class PlanningMetrics
{
    public const string MeterName = "Predictor.Planning";

    private static readonly Meter s_meter = new(MeterName);

    public static readonly Histogram<double> Duration = s_meter.CreateHistogram<double>(
        "predictor.planning.duration", "s", "Compute time of one plan, without file I/O");

    public static readonly Counter<long> Moves = s_meter.CreateCounter<long>(
        "predictor.planning.moves", "{move}", "VM moves planned (evacuations and ladder moves)");

    public static readonly Counter<long> Unplaced = s_meter.CreateCounter<long>(
        "predictor.planning.unplaced", "{vm}", "VMs of at-risk hosts the planner could not move");

    public static readonly Histogram<double> MakespanRatio = s_meter.CreateHistogram<double>(
        "predictor.planning.makespan_ratio", "1", "Plan makespan over its lower bound");
}
