namespace Predictor.Simulation.Evaluation;

/// <summary>What a fleet evaluation ran: the seeds, the fleet, the assessors and the configuration overrides common to all runs.</summary>
public sealed record EvaluationPlan(SeedRange Seeds, double Days, int Hosts, IReadOnlyList<EvaluatedAssessor> Assessors, IReadOnlyList<string> Overrides)
{
    /// <summary>Every problem with the plan, each naming the option; empty when it is valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(Days > 0) || Days > 365)
        {
            errors.Add($"--days must be above 0 and at most 365, got {Days}");
        }

        if (Hosts is < 2 or > 100_000)
        {
            errors.Add($"--hosts must be between 2 and 100000, got {Hosts}");
        }

        if (Assessors.Count == 0)
        {
            errors.Add("--assessors must name at least one assessor");
        }

        return errors;
    }
}

/// <summary>One assessor over every seed: its runs and their figures pooled and spread across seeds.</summary>
public sealed record AssessorResult(
    string Name,
    string Description,
    string AssessorName,
    IReadOnlyList<EvaluationRun> Runs,
    double PooledEvacuatedShare,
    Spread EvacuatedShare,
    double PooledFalseEvacuationsPer1000HostDays,
    Spread FalseEvacuationsPer1000HostDays,
    Spread VmInterruptions,
    Spread? InterruptionsAvoided,
    double? InterruptionsAvoidedShare,
    int FailuresPredictedAhead,
    int Failures,
    int FailuresWithoutWarning,
    LeadTimes LeadTimes,
    Spread LiveMigrations,
    Spread ColdMigrations,
    Spread BlackoutSeconds)
{
    /// <summary>Aggregates an assessor's runs; <paramref name="none"/> (the runs without prediction, by seed) gives the interruptions avoided.</summary>
    public static AssessorResult Of(EvaluatedAssessor assessor, string assessorName, IReadOnlyList<EvaluationRun> runs, IReadOnlyDictionary<int, EvaluationRun>? none)
    {
        ArgumentNullException.ThrowIfNull(assessor);
        ArgumentNullException.ThrowIfNull(runs);
        var onFailing = runs.Sum(r => r.VmsOnFailingHosts);
        var hostDays = runs.Sum(r => r.HostDays);
        var paired = none is null ? [] : runs.Where(r => none.ContainsKey(r.Seed)).ToList();
        var baseline = paired.Sum(r => none![r.Seed].VmInterruptions);
        return new AssessorResult(
            assessor.Name,
            assessor.Description,
            assessorName,
            runs,
            onFailing == 0 ? double.NaN : (double)runs.Sum(r => r.VmsEvacuatedBeforeFailure) / onFailing,
            Spread.Of(runs.Where(r => r.EvacuatedShare is not null).Select(r => r.EvacuatedShare!.Value)),
            hostDays == 0 ? double.NaN : runs.Sum(r => r.FalseEvacuations) / hostDays * 1000,
            Spread.Of(runs.Select(r => r.FalseEvacuationsPer1000HostDays)),
            Spread.Of(runs.Select(r => (double)r.VmInterruptions)),
            paired.Count == 0 ? null : Spread.Of(paired.Select(r => (double)(none![r.Seed].VmInterruptions - r.VmInterruptions))),
            paired.Count == 0 || baseline == 0 ? null : (double)(baseline - paired.Sum(r => r.VmInterruptions)) / baseline,
            runs.Sum(r => r.FailuresPredictedAhead),
            runs.Sum(r => r.Failures),
            runs.Sum(r => r.FailuresWithoutWarning),
            LeadTimes.Of(runs.SelectMany(r => r.LeadTimesHours)),
            Spread.Of(runs.Select(r => (double)r.LiveMigrations)),
            Spread.Of(runs.Select(r => (double)r.ColdMigrations)),
            Spread.Of(runs.Select(r => r.BlackoutSeconds)));
    }
}

/// <summary>A fleet evaluation's result: the plan, and per assessor its runs and figures.</summary>
public sealed record EvaluationReport(EvaluationPlan Plan, IReadOnlyList<AssessorResult> Assessors)
{
    /// <summary>Host-days each assessor ran (every seed's fleet over the evaluated days).</summary>
    public double HostDaysPerAssessor => Plan.Seeds.Count * Plan.Hosts * Plan.Days;
}
