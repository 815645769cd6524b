using Predictor.Core.Plans;
using Predictor.Planning.Ladder;
using Predictor.Planning.Model;

namespace Predictor.Planning.Scheduling;

/// <summary>
/// The plan's figures: makespan against a lower bound no schedule under the same limits can beat.
/// For the evacuation the bound is the largest of: an at-risk host's outbound bytes over its link bandwidth;
/// the total migration time over the datacenter-wide concurrency; the longest single migration (and, when
/// owners chose a later slot for a cold move, that slot plus the move). Each update domain adds its own bound
/// (its hosts' leaving bytes, waits and step, or its total migration time over the concurrency), because
/// domains go one at a time by rule.
/// </summary>
internal sealed class PlanFigures(List<MigrationJob> evacuation, double evacuationEnd, double evacuationBound, double sourceBound, LadderResult ladder, int unplaced)
{
    public static double EvacuationLowerBound(Fleet fleet, List<MigrationJob> jobs, PlanLimits limits)
    {
        if (jobs.Count == 0)
        {
            return 0;
        }

        var bytesBySource = new Dictionary<int, double>();
        double total = 0, longest = 0;
        foreach (var job in jobs)
        {
            bytesBySource[job.Source] = bytesBySource.GetValueOrDefault(job.Source) + job.Bytes;
            total += job.DurationS;
            longest = Math.Max(longest, job.NotBeforeS + job.DurationS);
        }

        var link = bytesBySource.Max(p => p.Value / (fleet.Hosts[p.Key].NicGbps * 1e9 / 8));
        return Math.Max(Math.Max(link, total / Math.Max(1, limits.MaxConcurrent)), longest);
    }

    /// <summary>
    /// A tighter bound reported beside the contract's: also an at-risk host's total move time over its outbound
    /// limit (its moves can run at most that many at once). It matters when cold moves, whose boot time sends no
    /// bytes, dominate a host.
    /// </summary>
    public static double EvacuationSourceBound(List<MigrationJob> jobs, PlanLimits limits) =>
        jobs.Count == 0 ? 0 : jobs.GroupBy(j => j.Source).Max(g => g.Sum(j => j.DurationS)) / Math.Max(1, limits.MaxOutboundPerHost);

    public PlanSummary ToSummary(double planningS)
    {
        var rolloutStart = evacuationEnd;
        var rolloutEnd = ladder.Phases.Count == 0 ? evacuationEnd : ladder.Phases[^1].EndS;
        var rolloutBound = ladder.Phases.Sum(p => p.LowerBoundS);
        var makespan = rolloutEnd;
        var bound = evacuationBound + rolloutBound;
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
            ["evacuationLowerBoundS"] = evacuationBound,
            ["evacuationRatio"] = Ratio(evacuationEnd, evacuationBound),
            ["evacuationSourceBoundS"] = Math.Max(evacuationBound, sourceBound),
            ["evacuationSourceRatio"] = Ratio(evacuationEnd, Math.Max(evacuationBound, sourceBound)),
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
