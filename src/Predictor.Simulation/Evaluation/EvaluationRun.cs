using Predictor.Simulation.Scenarios;

namespace Predictor.Simulation.Evaluation;

/// <summary>What one scenario run of one assessor on one seed achieved (from its <see cref="RunSummary"/>).</summary>
public sealed record EvaluationRun(
    string Assessor,
    int Seed,
    int Hosts,
    double Days,
    int Failures,
    int FailuresWithoutWarning,
    int FailuresPredictedAhead,
    int VmsEvacuatedBeforeFailure,
    int VmInterruptions,
    int HostsFlagged,
    int FalseEvacuations,
    int LiveMigrations,
    int ColdMigrations,
    double BlackoutSeconds,
    int UnplacedVms,
    IReadOnlyList<double> LeadTimesHours)
{
    public double HostDays => Hosts * Days;

    /// <summary>Hosts evacuated that did not fail, per 1,000 host-days.</summary>
    public double FalseEvacuationsPer1000HostDays => HostDays == 0 ? 0 : FalseEvacuations / HostDays * 1000;

    /// <summary>VMs on failing hosts: those moved off before the failure and those still on the host when it failed.</summary>
    public int VmsOnFailingHosts => VmsEvacuatedBeforeFailure + VmInterruptions;

    /// <summary>Share of the VMs on failing hosts moved off before the failure; null when no VM was on a failing host.</summary>
    public double? EvacuatedShare => VmsOnFailingHosts == 0 ? null : (double)VmsEvacuatedBeforeFailure / VmsOnFailingHosts;

    public static EvaluationRun From(string assessor, int seed, RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new EvaluationRun(
            assessor, seed, summary.Hosts, summary.Simulated.TotalDays, summary.InjectedFailures, summary.FailuresWithoutWarning,
            summary.FailuresPredictedAhead, summary.VmsEvacuatedBeforeFailure, summary.VmInterruptions, summary.HostsFlagged,
            summary.FalsePositiveEvacuations, summary.LiveMigrations, summary.ColdMigrations, summary.TotalBlackout.TotalSeconds,
            summary.UnplacedVms, [.. summary.LeadTimes.Select(t => t.TotalHours)]);
    }
}

/// <summary>Mean, sample standard deviation, minimum and maximum of one figure across runs.</summary>
public sealed record Spread(double Mean, double StdDev, double Min, double Max, int Count)
{
    public static Spread Of(IEnumerable<double> values)
    {
        var v = values.ToList();
        if (v.Count == 0)
        {
            return new Spread(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }

        var mean = v.Average();
        var sd = v.Count < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Count - 1));
        return new Spread(mean, sd, v.Min(), v.Max(), v.Count);
    }
}

/// <summary>Quantiles of lead times (hours) pooled over runs, and how many fell in each band.</summary>
public sealed record LeadTimes(int Count, double? P10, double? P25, double? Median, double? P75, double? P90, IReadOnlyList<LeadTimeBand> Bands)
{
    /// <summary>The bands reports count lead times in, in hours: [from, to).</summary>
    public static IReadOnlyList<(double From, double To, string Label)> BandLimits { get; } =
    [
        (0, 1, "< 1 h"), (1, 6, "1–6 h"), (6, 12, "6–12 h"), (12, 24, "12–24 h"), (24, double.PositiveInfinity, "≥ 24 h"),
    ];

    public static LeadTimes Of(IEnumerable<double> hours)
    {
        var sorted = hours.Order().ToArray();
        double? Q(double q) => sorted.Length == 0 ? null : Quantile(sorted, q);
        var bands = BandLimits.Select(b => new LeadTimeBand(b.Label, sorted.Count(h => h >= b.From && h < b.To))).ToList();
        return new LeadTimes(sorted.Length, Q(0.1), Q(0.25), Q(0.5), Q(0.75), Q(0.9), bands);
    }

    /// <summary>Linear interpolation between order statistics (type 7, as R and NumPy by default).</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}

/// <summary>Lead times within one band.</summary>
public sealed record LeadTimeBand(string Band, int Count);
