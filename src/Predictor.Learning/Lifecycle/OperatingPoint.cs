namespace Predictor.Learning.Lifecycle;

/// <summary>
/// How a model would do in the daemon at a fixed false-evacuation budget, judged per host as the daemon acts: a host is
/// evacuated the first time its probability reaches the threshold. A failing host (one with a positive row) counts as
/// caught when any of its rows reaches it; a healthy host that reaches it is a false evacuation.
/// </summary>
/// <param name="Threshold">The lowest threshold whose false evacuations stay within the budget.</param>
/// <param name="Recall">Failing hosts caught / failing hosts (NaN without failing hosts).</param>
/// <param name="FailingHosts">Hosts with a positive row.</param>
/// <param name="Caught">Failing hosts whose probability reached the threshold.</param>
/// <param name="HealthyHosts">Hosts without a positive row.</param>
/// <param name="FalseEvacuations">Healthy hosts whose probability reached the threshold.</param>
/// <param name="HostDays">Rows × the row interval, in days.</param>
/// <param name="BudgetPer1000HostDays">The budget the threshold was chosen for.</param>
public sealed record OperatingPoint(
    double Threshold, double Recall, int FailingHosts, int Caught, int HealthyHosts, int FalseEvacuations, double HostDays, double BudgetPer1000HostDays)
{
    /// <summary>False evacuations per 1,000 host-days at <see cref="Threshold"/>.</summary>
    public double FalseEvacuationsPer1000HostDays => HostDays > 0 ? FalseEvacuations * 1000 / HostDays : double.NaN;

    /// <summary>The operating point of <paramref name="probabilities"/> over rows labelled <paramref name="labels"/> of <paramref name="hosts"/>.</summary>
    /// <param name="hostDays">Host-days the rows cover (rows × row interval).</param>
    /// <param name="budgetPer1000HostDays">False evacuations allowed per 1,000 host-days.</param>
    public static OperatingPoint AtBudget(IReadOnlyList<double> probabilities, IReadOnlyList<float> labels, IReadOnlyList<string> hosts, double hostDays, double budgetPer1000HostDays)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentOutOfRangeException.ThrowIfNegative(budgetPer1000HostDays);
        if (probabilities.Count != labels.Count || labels.Count != hosts.Count)
        {
            throw new ArgumentException("probabilities, labels and hosts must have one entry per row");
        }

        var byHost = new Dictionary<string, (double Max, bool Failed)>(StringComparer.Ordinal);
        for (var i = 0; i < probabilities.Count; i++)
        {
            var current = byHost.TryGetValue(hosts[i], out var c) ? c : (Max: double.NegativeInfinity, Failed: false);
            var p = double.IsNaN(probabilities[i]) ? double.PositiveInfinity : probabilities[i]; // a NaN score would act: count it as flagging
            byHost[hosts[i]] = (Math.Max(current.Max, p), current.Failed || labels[i] > 0.5f);
        }

        var healthy = byHost.Values.Where(h => !h.Failed).Select(h => h.Max).OrderDescending().ToArray();
        var failing = byHost.Values.Where(h => h.Failed).Select(h => h.Max).ToArray();
        var allowed = (int)Math.Floor(budgetPer1000HostDays * hostDays / 1000 + 1e-9);
        var threshold = allowed < healthy.Length ? Math.BitIncrement(healthy[allowed]) : 0.0;
        var caught = failing.Count(p => p >= threshold);
        var falseEvacuations = healthy.Count(p => p >= threshold);
        return new OperatingPoint(
            threshold, failing.Length == 0 ? double.NaN : (double)caught / failing.Length, failing.Length, caught,
            healthy.Length, falseEvacuations, hostDays, budgetPer1000HostDays);
    }
}

/// <summary>Expected calibration error: how far predicted probabilities are from observed frequencies.</summary>
public static class CalibrationError
{
    /// <summary>Σ over 10 equal-width bins of (rows in bin / rows) × |mean probability − positive share|; NaN for no rows.</summary>
    public static double Expected(IReadOnlyList<double> probabilities, IReadOnlyList<float> labels, int bins = 10)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var count = new int[bins];
        var sumP = new double[bins];
        var sumY = new double[bins];
        for (var i = 0; i < probabilities.Count; i++)
        {
            var p = probabilities[i];
            if (double.IsNaN(p))
            {
                return double.NaN;
            }

            var b = Math.Clamp((int)(p * bins), 0, bins - 1);
            count[b]++;
            sumP[b] += p;
            sumY[b] += labels[i] > 0.5f ? 1 : 0;
        }

        var total = count.Sum();
        if (total == 0)
        {
            return double.NaN;
        }

        var error = 0.0;
        for (var b = 0; b < bins; b++)
        {
            if (count[b] > 0)
            {
                error += (double)count[b] / total * Math.Abs(sumP[b] / count[b] - sumY[b] / count[b]);
            }
        }

        return error;
    }
}
