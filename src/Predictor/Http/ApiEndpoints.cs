using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Predictor.Daemon.Metrics;
using Predictor.Daemon.Pipeline;
using Predictor.Daemon.Telemetry;
using Predictor.Daemon.Views;
using Predictor.Http.Dashboard;
using Predictor.Notifications.OwnerEvents;
using Predictor.Telemetry.Push;

namespace Predictor.Http;

/// <summary>The daemon's HTTP surface: health, status, metrics, automation control, owner events, the dashboard, and the telemetry endpoints of the chosen source.</summary>
internal static class ApiEndpoints
{
    public static WebApplication MapPredictorApi(this WebApplication app)
    {
        app.MapTelemetrySource();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/api/v1/status", (DaemonViews views) => Results.Json(views.Status()));
        app.MapGet("/api/v1/fleet", (DaemonViews views) => Results.Json(views.Fleet()));
        app.MapGet("/api/v1/hosts/{id}", (string id, DaemonViews views) => views.Host(id) is { } host ? Results.Json(host) : Results.Json(new { error = $"no host '{id}' in the inventory" }, statusCode: 404));
        app.MapGet("/api/v1/plan", (string? id, DaemonViews views) => views.Plan(id) is { } plan ? Results.Json(plan)
            : Results.Json(new { error = id is null ? "no plan has been handed to the executor yet" : $"no plan '{id}' among the newest {PlanHistory.Capacity}" }, statusCode: 404));
        app.MapGet("/api/v1/ladder", (DaemonViews views) => Results.Json(views.Ladder()));
        app.MapGet("/api/v1/model", (DaemonViews views) => Results.Json(views.Model()));
        app.MapAutomationControl();
        // operators (the Api:Token the automation endpoints take) see and act on the events of VMs without an owner
        // owners' and operators' answers change what the leader does: a standby sends them there
        app.MapPredictorOwnerEvents(http => http.RequestServices.GetRequiredService<ApiAuthorizer>().BearsToken(http))
            .AddEndpointFilter(async (context, next) => HttpMethods.IsGet(context.HttpContext.Request.Method)
                ? await next(context).ConfigureAwait(false)
                : AutomationEndpoints.StandbyRefusal(context.HttpContext) ?? await next(context).ConfigureAwait(false));
        app.MapDashboard();
        app.MapGet("/metrics", (PrometheusExporter exporter) => Results.Text(exporter.Scrape(), "text/plain; version=0.0.4; charset=utf-8"));
        return app;
    }

    /// <summary>
    /// Serves <c>/write</c>, <c>/api/v2/write</c> and <c>/ping</c> when <c>Telemetry:Source</c> is Push, and the simulated
    /// node_exporters at <c>/simulation/metrics/{host}</c> when it is Scrape.
    /// </summary>
    private static void MapTelemetrySource(this WebApplication app)
    {
        var source = app.Configuration.GetSection(TelemetrySettings.SectionName)[nameof(TelemetrySettings.Source)];
        if (string.Equals(source, nameof(TelemetrySourceKind.Push), StringComparison.OrdinalIgnoreCase))
        {
            app.MapInfluxPush(context => context.RequestServices.GetRequiredService<TelemetryParts>().PushHandler!);
        }

        if (string.Equals(source, nameof(TelemetrySourceKind.Scrape), StringComparison.OrdinalIgnoreCase))
        {
            app.MapGet(SimulatedScrape.PathPrefix + "{host}", (string host, TelemetryParts parts) =>
            {
                if (parts.Exposition is not { } exposition)
                {
                    return Results.NotFound();
                }

                var (status, body) = exposition.Render(host);
                return Results.Text(body, "text/plain; version=0.0.4; charset=utf-8", statusCode: status);
            });
        }
    }
}
