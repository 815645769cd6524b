using System.Text.Json;
using Predictor.Core.Inventory;

namespace Predictor.Daemon.Automation;

/// <summary>
/// The operator's host and rollout controls behind <c>POST /api/v1/rollout/resume</c> and
/// <c>POST /api/v1/hosts/{id}/release|repair|decommission</c>, and the <c>{"reason": "..."}</c> body they take. The HTTP
/// layer authorizes, audits and reads the body; each of these answers with a status code and a JSON object.
/// </summary>
public static class OperatorActions
{
    /// <summary>Clears a halted rollout; 200 naming the hosts that halted it (none when it was not halted).</summary>
    public static (int Status, object Body) ResumeRollout(PredictorPipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var cleared = pipeline.ClearRolloutHalt();
        return (200, new { cleared, message = cleared.Count == 0 ? "the rollout was not halted" : $"the rollout goes on; cleared {string.Join(", ", cleared)}" });
    }

    /// <summary>Takes a host out of quarantine: 400 without a reason, 409 for a host not quarantined.</summary>
    public static (int Status, object Body) Release(PredictorPipeline pipeline, string id, string? reason)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return string.IsNullOrWhiteSpace(reason)
            ? (400, new { error = "a release needs a reason: {\"reason\": \"disk replaced, ticket 123\"}" })
            : pipeline.Release(id, reason) is { } flagged
                ? (200, new { released = true, host = id, message = $"host {id} takes VMs again; it was flagged at p={flagged.Probability:0.00} by {flagged.Assessor}" })
                : (409, new { released = false, host = id, message = $"host {id} is not quarantined" });
    }

    /// <summary>Records a quarantined host's repair: 400 without a reason, 409 for a host not quarantined.</summary>
    public static (int Status, object Body) Repair(PredictorPipeline pipeline, PipelineOptions options, string id, string? reason, string caller)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(reason)
            ? (400, new { error = "a repair needs a reason: {\"reason\": \"PSU replaced, ticket 123\"}" })
            : pipeline.RecordRepair(id, reason, caller) is not null
                ? (200, new { recorded = true, host = id, message = $"repair of host {id} recorded; it is released after {options.CleanAssessmentsToRelease} clean assessments in a row" })
                : (409, new { recorded = false, host = id, message = $"host {id} is not quarantined" });
    }

    /// <summary>Takes a host out of service for good: 400 without a reason, 404 for a host not in the inventory, 409 when it was already.</summary>
    public static (int Status, object Body) Decommission(PredictorPipeline pipeline, IDatacenter datacenter, string id, string? reason, string caller)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(datacenter);
        return string.IsNullOrWhiteSpace(reason)
            ? (400, new { error = "a decommission needs a reason: {\"reason\": \"end of life, ticket 123\"}" })
            : !datacenter.Inventory().TryGetHost(id, out _) ? (404, new { error = $"no host '{id}' in the inventory" })
            : pipeline.Decommission(id, reason, caller)
                ? (200, new { decommissioned = true, host = id, message = $"host {id} is decommissioned: it takes no VM again and its {datacenter.Inventory().VmsOn(id).Length} VMs are evacuated" })
                : (409, new { decommissioned = false, host = id, message = $"host {id} was decommissioned already" });
    }

    /// <summary>
    /// The reason of an optional <c>{"reason": "..."}</c> body (null without a body or without the field), or the error
    /// that makes it a 400: a body that is not an object, or a reason that is not a string.
    /// </summary>
    public static (string? Reason, string? Error) Reason(JsonElement? body)
    {
        if (body is not { } json)
        {
            return (null, null);
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            return (null, $"expected an object like {{\"reason\": \"...\"}}, got {json.ValueKind.ToString().ToLowerInvariant()}");
        }

        if (!json.TryGetProperty("reason", out var value))
        {
            return (null, null);
        }

        return value.ValueKind == JsonValueKind.String
            ? (value.GetString(), null)
            : (null, $"reason: expected a string, got {value.ValueKind.ToString().ToLowerInvariant()}");
    }
}
