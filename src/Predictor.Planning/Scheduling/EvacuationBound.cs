using Predictor.Core.Plans;
using Predictor.Planning.Model;

namespace Predictor.Planning.Scheduling;

/// <summary>The evacuation's lower bound and the term that sets it (said in the summary and by <c>predictor plan</c>).</summary>
internal readonly record struct EvacuationLowerBound(double ValueS, string SetBy)
{
    public static readonly EvacuationLowerBound None = new(0, "no moves");
}

/// <summary>
/// A lower bound on the end of any evacuation that moves the same VMs the same way (live or cold) under the same
/// limits, whatever destinations and order it picks, so that makespan over bound measures placement and scheduling
/// together. Every move is costed at its fastest possible share: the best link among the hosts that could take it
/// (same or newer CPU generation for a live move), not the destination the planner chose, so a poor destination
/// never raises the bound. The bound is the largest of:
/// <list type="bullet">
/// <item>the longest move (after the owner's earliest start for a cold move);</item>
/// <item>for each at-risk host: its moves' time over its outbound limit, and the sum of its k-th and (k+1)-th
/// longest moves (k = the outbound limit: of k + 1 moves two share a slot one after the other). A move runs at no
/// more than the host's link over k, so the host's bytes over its link are never more than the first;</item>
/// <item>all moves' time over the datacenter-wide limit C, and the sum of the C-th and (C+1)-th longest moves.</item>
/// </list>
/// Inbound limits give no bound independent of the destinations chosen.
/// </summary>
internal static class EvacuationBound
{
    public static EvacuationLowerBound Compute(Fleet fleet, PlanContext context, List<MigrationJob> jobs, PlanRequest request, MaintenancePlannerOptions options)
    {
        if (jobs.Count == 0)
        {
            return EvacuationLowerBound.None;
        }

        var links = new DestinationLinks(fleet, context);
        var fastest = new double[jobs.Count];
        var bySource = new Dictionary<int, List<double>>();
        var best = EvacuationLowerBound.None;
        double total = 0;
        for (var i = 0; i < jobs.Count; i++)
        {
            var job = jobs[i];
            var d = Fastest(fleet, links, job, request, options);
            fastest[i] = d;
            total += d;
            if (!bySource.TryGetValue(job.Source, out var list))
            {
                bySource[job.Source] = list = [];
            }

            list.Add(d);
            Raise(ref best, job.NotBeforeS + d, $"the longest move ({fleet.Vms[job.Vm].Id})");
        }

        var maxOut = Math.Max(1, request.Limits.MaxOutboundPerHost);
        foreach (var (source, durations) in bySource)
        {
            Raise(ref best, Spread(durations, maxOut), $"the moves off {fleet.Hosts[source].Id} under its limit of {maxOut} at once");
        }

        var maxAll = Math.Max(1, request.Limits.MaxConcurrent);
        Raise(ref best, Math.Max(total / maxAll, PairBound(fastest, maxAll)), $"all moves under the datacenter's limit of {maxAll} at once");
        return best;
    }

    /// <summary>The shortest duration this move could have at any host that might take it, under the planner's own choice of live mode.</summary>
    private static double Fastest(Fleet fleet, DestinationLinks links, MigrationJob job, PlanRequest request, MaintenancePlannerOptions options)
    {
        var vm = fleet.Vms[job.Vm];
        var source = fleet.Hosts[job.Source];
        var best = job.DurationS;
        foreach (var nic in links.For(source.CpuGeneration, job.Kind == MigrationKind.Live))
        {
            if (job.Kind == MigrationKind.Cold)
            {
                best = Math.Min(best, MigrationCost.Cold(vm, source.NicGbps, nic, request).DurationS);
                continue;
            }

            var plain = MigrationCost.Live(vm, source.NicGbps, nic, request, autoConverge: false);
            if (plain.Converges)
            {
                best = Math.Min(best, plain.DurationS);
            }
            else if (options.AllowAutoConverge && MigrationCost.Live(vm, source.NicGbps, nic, request, autoConverge: true) is { Converges: true } throttled)
            {
                best = Math.Min(best, throttled.DurationS);
            }
        }

        return best;
    }

    /// <summary>Work over <paramref name="slots"/>, or the k-th plus (k+1)-th longest when that is more.</summary>
    private static double Spread(List<double> durations, int slots)
    {
        var sum = 0.0;
        foreach (var d in durations)
        {
            sum += d;
        }

        return Math.Max(sum / slots, PairBound([.. durations], slots));
    }

    /// <summary>With at most k at once, k + 1 moves need k slots, so two of them run one after the other.</summary>
    private static double PairBound(double[] durations, int slots)
    {
        if (durations.Length <= slots)
        {
            return 0;
        }

        Array.Sort(durations, (a, b) => b.CompareTo(a));
        return durations[slots - 1] + durations[slots];
    }

    private static void Raise(ref EvacuationLowerBound bound, double value, string setBy)
    {
        if (value > bound.ValueS)
        {
            bound = new EvacuationLowerBound(value, setBy);
        }
    }

    /// <summary>The distinct link speeds of the hosts that may receive evacuees, for live moves by source CPU generation.</summary>
    private sealed class DestinationLinks
    {
        private readonly int[] _generations;
        private readonly double[][] _liveNics;
        private readonly double[] _allNics;

        public DestinationLinks(Fleet fleet, PlanContext context)
        {
            var eligible = Enumerable.Range(0, fleet.Hosts.Length)
                .Where(h => fleet.Hosts[h].AcceptsPlacements && !context.IsAtRisk[h])
                .Select(h => (fleet.Hosts[h].CpuGeneration, fleet.Hosts[h].NicGbps))
                .Distinct()
                .ToList();
            _generations = [.. eligible.Select(e => e.CpuGeneration).Distinct().Order()];
            _liveNics = [.. _generations.Select(g => eligible.Where(e => e.CpuGeneration >= g).Select(e => e.NicGbps).Distinct().Order().ToArray())];
            _allNics = [.. eligible.Select(e => e.NicGbps).Distinct().Order()];
        }

        public double[] For(int sourceGeneration, bool live)
        {
            if (!live)
            {
                return _allNics;
            }

            // The first eligible generation at or above the source's.
            var i = Array.BinarySearch(_generations, sourceGeneration);
            i = i >= 0 ? i : ~i;
            return i < _generations.Length ? _liveNics[i] : [];
        }
    }
}
