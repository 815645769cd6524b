using System.Text.Json;
using Predictor.Core.Inventory;
using Predictor.Core.Outcomes;

namespace Predictor.Daemon.Outcomes;

/// <summary>
/// <c>POST /api/v1/hosts/{id}/failed</c> and <c>/repaired</c>: an operator's outcome of a host, from an optional body
/// <c>{"at", "component", "cause", "source", "detail"}</c>, into the outcome log; a repaired host that is quarantined gets a
/// repair record (released after clean assessments). The HTTP layer authorizes, audits and reads the body; this answers with a status code and a JSON object.
/// </summary>
public static class OperatorOutcomes
{
    /// <summary>What a body looks like, for error messages.</summary>
    public const string Example = "{\"at\": \"2026-01-05T10:00:00Z\", \"component\": \"disk:sdb\", \"cause\": \"disk-media\", \"source\": \"ticket\"}";

    /// <summary>Records the outcome: 200 with what was recorded, 404 for a host not in the inventory, 409 when the log is off, 400 naming a bad field.</summary>
    public static (int Status, object Body) Record(PredictorPipeline pipeline, IDatacenter datacenter, string host, OutcomeKind kind, JsonElement? body, string caller, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(datacenter);
        if (!datacenter.Inventory().TryGetHost(host, out _))
        {
            return (404, new { error = $"no host '{host}' in the inventory" });
        }

        if (!pipeline.RecordsOutcomes)
        {
            return (409, new { error = "the outcome log is off (Outcomes:Enabled=false)" });
        }

        var (outcome, error) = OutcomeRecorder.FromRequest(host, kind, body, caller, now);
        if (outcome is null)
        {
            return (400, new { error });
        }

        var (recorded, repair) = pipeline.RecordOutcome(outcome);
        return (200, new
        {
            recorded,
            host,
            kind = HostOutcome.Name(kind),
            at = outcome.At,
            repairRecorded = repair is not null,
            message = $"host {host} {HostOutcome.Name(kind)} at {outcome.At:u} {(recorded ? "recorded" : "was already recorded")}" +
                (repair is null ? "" : $"; quarantined: released after {pipeline.CleanAssessmentsToRelease} clean assessments in a row"),
        });
    }
}
