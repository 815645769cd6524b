using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Predictor.Daemon.Views;

namespace Predictor.Http.Dashboard;

/// <summary>
/// The dashboard at <c>/</c>: one self-contained page (no external scripts or fonts) that polls the JSON
/// API every two seconds: automation state, hosts at risk with their evidence, the rollout, recent steps.
/// </summary>
public static class DashboardEndpoints
{
    private static readonly Lazy<byte[]> s_page = new(() =>
    {
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream("Predictor.Http.Dashboard.dashboard.html")
            ?? throw new InvalidOperationException("the dashboard page is missing from the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>Maps the page and <c>/api/v1/at-risk</c>; it also reads <c>/api/v1/status</c> and <c>/api/v1/steps</c>.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Results.Bytes(s_page.Value, "text/html; charset=utf-8"));
        endpoints.MapGet("/api/v1/at-risk", (DaemonViews views) => Results.Json(views.AtRisk()));
        return endpoints;
    }
}
