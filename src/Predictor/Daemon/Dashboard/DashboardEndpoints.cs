using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Predictor.Daemon.Dashboard;

/// <summary>
/// The dashboard at <c>/</c>: one self-contained page (no external scripts or fonts) that polls the JSON
/// API every two seconds: automation state, hosts at risk with their evidence, the rollout, recent steps.
/// </summary>
public static class DashboardEndpoints
{
    private static readonly Lazy<byte[]> s_page = new(() =>
    {
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream("Predictor.Daemon.Dashboard.dashboard.html")
            ?? throw new InvalidOperationException("the dashboard page is missing from the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>Maps the page and the read-only endpoints it uses besides <c>/api/v1/status</c>.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Results.Bytes(s_page.Value, "text/html; charset=utf-8"));
        endpoints.MapGet("/api/v1/at-risk", (RunRecorder recorder) => Results.Json(recorder.Flagged.Values
            .OrderByDescending(a => a.Probability).ThenBy(a => a.Host, StringComparer.Ordinal)
            .Select(a => new
            {
                host = a.Host,
                probability = a.Probability,
                assessedAt = a.AssessedAt,
                predictedFailureAt = a.PredictedFailureAt,
                assessor = a.Assessor,
                evidence = a.Evidence.Take(3).Select(e => e.Description).ToArray(),
            })));
        endpoints.MapGet("/api/v1/steps", (RunRecorder recorder, int? limit) =>
        {
            var take = Math.Clamp(limit ?? 50, 1, 1000);
            return Results.Json(recorder.Steps.Reverse().Take(take).Select(s => new
            {
                at = s.At,
                stepId = s.Outcome.StepId,
                kind = s.Outcome.Kind.ToString(),
                target = s.Outcome.Target,
                from = s.Outcome.From,
                to = s.Outcome.To,
                succeeded = s.Outcome.Succeeded,
                durationS = s.Outcome.Duration.TotalSeconds,
                blackoutMs = s.Outcome.Blackout.TotalMilliseconds,
                message = s.Outcome.Message,
            }));
        });
        return endpoints;
    }
}
