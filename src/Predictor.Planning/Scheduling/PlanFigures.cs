using Predictor.Core.Plans;
using Predictor.Planning.Ladder;

namespace Predictor.Planning.Scheduling;

/// <summary>
/// The plan's figures: makespan against a lower bound no schedule under the same limits can beat. The
/// evacuation's bound is <see cref="EvacuationBound"/>'s. Each update domain adds its own bound (its hosts'
/// leaving bytes, waits and step, or its total migration time over the concurrency), because domains go one at
/// a time by rule.
/// </summary>
internal sealed class PlanFigures(List<MigrationJob> evacuation, double evacuationEnd, EvacuationLowerBound evacuationBound, LadderResult ladder, int unplaced)
{
    public PlanSummary ToSummary(double planningS)
    {
        var rolloutStart = evacuationEnd;
        var rolloutEnd = ladder.Phases.Count == 0 ? evacuationEnd : ladder.Phases[^1].EndS;
        var rolloutBound = ladder.Phases.Sum(p => p.LowerBoundS);
        var makespan = rolloutEnd;
        var bound = evacuationBound.ValueS + rolloutBound;
        var ladderJobs = ladder.Phases.SelectMany(p => p.Jobs).ToList();
        var extra = new Dictionary<string, object>
        {
            ["makespanRatio"] = Ratio(makespan, bound),
            ["moves"] = evacuation.Count + ladderJobs.Count,
            ["liveMoves"] = evacuation.Count(j => j.Kind == MigrationKind.Live) + ladderJobs.Count,
            ["coldMoves"] = evacuation.Count(j => j.Kind == MigrationKind.Cold),
            ["unplaced"] = unplaced,
            ["lateMoves"] = evacuation.Count(j => j.EndS > j.DeadlineS),
            ["totalDowntimeMs"] = Math.Round(evacuation.Sum(j => j.DowntimeMs) + ladderJobs.Sum(j => j.DowntimeMs), 3),
            ["evacuationMakespanS"] = evacuationEnd,
            ["evacuationLowerBoundS"] = evacuationBound.ValueS,
            ["evacuationRatio"] = Ratio(evacuationEnd, evacuationBound.ValueS),
            ["evacuationBoundSetBy"] = evacuationBound.SetBy,
            ["evacuationMovesAheadOfDeadlineOrder"] = evacuation.Count(j => j.AheadOfDeadlineOrder),
            ["rolloutMakespanS"] = rolloutEnd - rolloutStart,
            ["rolloutLowerBoundS"] = rolloutBound,
            ["rolloutRatio"] = Ratio(rolloutEnd - rolloutStart, rolloutBound),
            ["updateDomains"] = ladder.Phases.Count,
            ["hotPatch"] = ladder.Steps.Count(s => s.Action == MaintenanceAction.HotPatch),
            ["hotRestart"] = ladder.Steps.Count(s => s.Action == MaintenanceAction.HotRestart),
            ["memoryPreserving"] = ladder.Steps.Count(s => s.Action == MaintenanceAction.MemoryPreserving),
            ["selfService"] = ladder.Steps.Count(s => s.Action == MaintenanceAction.SelfService),
            ["liveMigration"] = ladder.Steps.Count(s => s.Action == MaintenanceAction.LiveMigration),
        };
        if (ladder.Skipped.Count > 0)
        {
            extra["updatesSkipped"] = ladder.Skipped;
        }

        if (ladder.HaltedBecause is { } halted)
        {
            extra["rolloutHalted"] = halted;
        }

        return new PlanSummary { PlanningS = planningS, MakespanS = makespan, LowerBoundS = bound, Extra = extra };
    }

    private static double Ratio(double makespan, double bound) => bound <= 0 ? 1 : Math.Round(makespan / bound, 4);
}
