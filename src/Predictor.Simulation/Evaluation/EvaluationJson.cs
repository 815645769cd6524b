using System.Text.Json;
using System.Text.Json.Nodes;

namespace Predictor.Simulation.Evaluation;

/// <summary>A fleet evaluation as JSON: the plan, and per assessor its pooled figures, their spread across seeds and every run. Figures that do not exist (no VM on a failing host, no lead time) are null.</summary>
public static class EvaluationJson
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    public static void Write(EvaluationReport report, string command, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var plan = report.Plan;
        var root = new JsonObject
        {
            ["command"] = command,
            ["seeds"] = new JsonObject { ["first"] = plan.Seeds.First, ["last"] = plan.Seeds.Last },
            ["hosts"] = plan.Hosts,
            ["days"] = plan.Days,
            ["hostDaysPerAssessor"] = report.HostDaysPerAssessor,
            ["overrides"] = new JsonArray([.. plan.Overrides.Select(o => (JsonNode?)o)]),
            ["assessors"] = new JsonArray([.. report.Assessors.Select(Assessor)]),
        };
        output.WriteLine(root.ToJsonString(s_indented));
    }

    private static JsonNode Assessor(AssessorResult a) => new JsonObject
    {
        ["name"] = a.Name,
        ["description"] = a.Description,
        ["assessor"] = a.AssessorName,
        ["evacuatedShare"] = Number(a.PooledEvacuatedShare),
        ["evacuatedSharePerRun"] = Spread(a.EvacuatedShare),
        ["falseEvacuationsPer1000HostDays"] = Number(a.PooledFalseEvacuationsPer1000HostDays),
        ["falseEvacuationsPer1000HostDaysPerRun"] = Spread(a.FalseEvacuationsPer1000HostDays),
        ["vmInterruptionsPerRun"] = Spread(a.VmInterruptions),
        ["interruptionsAvoidedPerRun"] = a.InterruptionsAvoided is { } avoided ? Spread(avoided) : null,
        ["interruptionsAvoidedShare"] = Number(a.InterruptionsAvoidedShare),
        ["failures"] = a.Failures,
        ["failuresWithoutWarning"] = a.FailuresWithoutWarning,
        ["failuresPredictedAhead"] = a.FailuresPredictedAhead,
        ["leadTimeHours"] = new JsonObject
        {
            ["count"] = a.LeadTimes.Count,
            ["p10"] = Number(a.LeadTimes.P10),
            ["p25"] = Number(a.LeadTimes.P25),
            ["median"] = Number(a.LeadTimes.Median),
            ["p75"] = Number(a.LeadTimes.P75),
            ["p90"] = Number(a.LeadTimes.P90),
            ["bands"] = new JsonArray([.. a.LeadTimes.Bands.Select(b => (JsonNode)new JsonObject { ["band"] = b.Band, ["count"] = b.Count })]),
        },
        ["liveMigrationsPerRun"] = Spread(a.LiveMigrations),
        ["coldMigrationsPerRun"] = Spread(a.ColdMigrations),
        ["blackoutSecondsPerRun"] = Spread(a.BlackoutSeconds),
        ["runs"] = new JsonArray([.. a.Runs.Select(Run)]),
    };

    private static JsonNode Run(EvaluationRun r) => new JsonObject
    {
        ["seed"] = r.Seed,
        ["hosts"] = r.Hosts,
        ["days"] = r.Days,
        ["failures"] = r.Failures,
        ["failuresWithoutWarning"] = r.FailuresWithoutWarning,
        ["failuresPredictedAhead"] = r.FailuresPredictedAhead,
        ["vmsEvacuatedBeforeFailure"] = r.VmsEvacuatedBeforeFailure,
        ["vmInterruptions"] = r.VmInterruptions,
        ["evacuatedShare"] = Number(r.EvacuatedShare),
        ["hostsFlagged"] = r.HostsFlagged,
        ["falseEvacuations"] = r.FalseEvacuations,
        ["falseEvacuationsPer1000HostDays"] = Number(r.FalseEvacuationsPer1000HostDays),
        ["liveMigrations"] = r.LiveMigrations,
        ["coldMigrations"] = r.ColdMigrations,
        ["blackoutSeconds"] = Number(r.BlackoutSeconds),
        ["unplacedVms"] = r.UnplacedVms,
        ["leadTimesHours"] = new JsonArray([.. r.LeadTimesHours.Select(h => Number(h))]),
    };

    private static JsonObject Spread(Spread s) => new()
    {
        ["mean"] = Number(s.Mean),
        ["stdDev"] = Number(s.StdDev),
        ["min"] = Number(s.Min),
        ["max"] = Number(s.Max),
        ["runs"] = s.Count,
    };

    private static JsonNode? Number(double? value) => value is { } v && double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 6)) : null;
}
