using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Predictor.Core.Inventory;
using Predictor.Core.Outcomes;
using Predictor.Daemon;
using Predictor.Daemon.Automation;
using Predictor.Daemon.Outcomes;
using Predictor.Daemon.Pipeline;
using Predictor.Daemon.Views;
using Predictor.Execution.Journal;

namespace Predictor.Http;

/// <summary>
/// The operator's controls over HTTP: <c>POST /api/v1/pause</c>, <c>POST /api/v1/resume</c>, <c>POST|DELETE /api/v1/kill-switch</c>,
/// <c>POST /api/v1/rollout/resume</c> (after a failed update stopped the rollout), <c>POST /api/v1/hosts/{id}/release</c> (out of quarantine, with a reason),
/// <c>POST /api/v1/hosts/{id}/repair</c> (a repair, after which clean assessments release the host), <c>POST /api/v1/hosts/{id}/decommission</c>,
/// <c>POST /api/v1/hosts/{id}/failed</c> and <c>/repaired</c> (an operator's outcome for the outcome log; a repaired quarantined host gets a repair record)
/// (guarded by <see cref="ApiAuthorizer"/>), and read-only <c>GET /api/v1/automation</c>, <c>/api/v1/steps</c>, <c>/api/v1/placements</c>.
/// Mutating requests take an optional JSON body <c>{"reason": "..."}</c>. A standby (several daemons, another one leading) refuses them with 503, naming the leader.
/// </summary>
public static class AutomationEndpoints
{
    /// <summary>Most recent finished steps <c>GET /api/v1/steps</c> returns, newest first, unless <c>?limit=N</c> (1–1000) says otherwise.</summary>
    public const int StepsShown = 200;

    public static IEndpointRouteBuilder MapAutomationControl(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapGet("/automation", (AutomationControl control) => Results.Json(control.Status()));
        api.MapGet("/steps", (RecentSteps steps, int? limit) => Results.Json(DaemonViews.Steps(steps.Newest(Math.Clamp(limit ?? StepsShown, 1, RecentSteps.Capacity)))));
        api.MapGet("/placements", (IDatacenter datacenter) => Results.Json(datacenter.Inventory().Vms.ToDictionary(v => v.Id, v => v.Host, StringComparer.Ordinal)));
        // a page of the newest transitions (default 200, at most 1000), oldest first; ?before=<seq> continues further back
        api.MapGet("/journal/{target}", async (string target, int? limit, long? before, IExecutionJournal journal, CancellationToken cancellationToken) =>
            Results.Json(DaemonViews.Journal(await journal.HistoryPageAsync(target, Math.Clamp(limit ?? StepsShown, 1, RecentSteps.Capacity), before, cancellationToken).ConfigureAwait(false))));

        var control = app.MapGroup("/api/v1").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var needed = http.Request.Path.Value?.EndsWith("/kill-switch", StringComparison.Ordinal) == true ? ApiRole.Admin : ApiRole.Operate;
            var logger = http.RequestServices.GetRequiredService<ILogger<AutomationControl>>();
            if (http.RequestServices.GetRequiredService<ApiAuthorizer>().Refusal(http, needed) is { } refusal)
            {
                Log.ApiRefused(logger, http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress?.ToString() ?? "unknown", refusal.Reason);
                return Results.Json(new { error = refusal.Reason }, statusCode: refusal.Status);
            }

            if (StandbyRefusal(http) is { } standby)
            {
                return standby;
            }

            Log.ApiAudit(logger, (string)http.Items["caller"]!, http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return await next(context).ConfigureAwait(false);
        });
        control.MapPost("/pause", async (HttpRequest request, AutomationControl automation) =>
            await WithReasonAsync(request, reason => Results.Json(automation.Pause(reason))).ConfigureAwait(false));
        control.MapPost("/resume", async (AutomationControl automation, CancellationToken cancellationToken) =>
        {
            var (resumed, message) = await automation.ResumeAsync(cancellationToken).ConfigureAwait(false);
            return Results.Json(new { resumed, message, automation = automation.Status() }, statusCode: resumed ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);
        });
        control.MapPost("/kill-switch", async (HttpRequest request, AutomationControl automation) =>
            await WithReasonAsync(request, reason => Results.Json(automation.EngageKillSwitch(reason))).ConfigureAwait(false));
        control.MapPost("/rollout/resume", (PredictorPipeline pipeline) => Answer(OperatorActions.ResumeRollout(pipeline)));
        control.MapPost("/hosts/{id}/release", async (string id, HttpRequest request, PredictorPipeline pipeline) =>
            await WithReasonAsync(request, reason => Answer(OperatorActions.Release(pipeline, id, reason))).ConfigureAwait(false));
        control.MapPost("/hosts/{id}/repair", async (string id, HttpRequest request, PredictorPipeline pipeline, PipelineOptions options) =>
            await WithReasonAsync(request, reason => Answer(OperatorActions.Repair(pipeline, options, id, reason, Caller(request)))).ConfigureAwait(false));
        control.MapPost("/hosts/{id}/decommission", async (string id, HttpRequest request, PredictorPipeline pipeline, IDatacenter datacenter) =>
            await WithReasonAsync(request, reason => Answer(OperatorActions.Decommission(pipeline, datacenter, id, reason, Caller(request)))).ConfigureAwait(false));
        control.MapPost("/hosts/{id}/failed", (string id, HttpRequest request, PredictorPipeline pipeline, IDatacenter datacenter, TimeProvider time) =>
            MarkAsync(id, OutcomeKind.Failed, request, pipeline, datacenter, time));
        control.MapPost("/hosts/{id}/repaired", (string id, HttpRequest request, PredictorPipeline pipeline, IDatacenter datacenter, TimeProvider time) =>
            MarkAsync(id, OutcomeKind.Repaired, request, pipeline, datacenter, time));
        control.MapDelete("/kill-switch", (AutomationControl automation) =>
        {
            var (released, message) = automation.ReleaseKillSwitch();
            return Results.Json(new { released, message, automation = automation.Status() }, statusCode: released ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);
        });
        return app;
    }

    /// <summary>
    /// A standby acts on nothing: a change sent to it gets 503 with the leader's name and address (when it advertises one),
    /// so the caller can send it there. Null on the leader and on a daemon that runs alone.
    /// </summary>
    internal static IResult? StandbyRefusal(HttpContext http)
    {
        var leadership = http.RequestServices.GetRequiredService<Daemon.Ha.Leadership>();
        if (leadership.IsLeader)
        {
            return null;
        }

        var status = leadership.Status();
        var message = leadership.NotLeaderMessage();
        Log.StandbyRefused(http.RequestServices.GetRequiredService<ILogger<Daemon.Ha.Leadership>>(), http.Request.Method, http.Request.Path, status.Leader ?? "nobody");
        return Results.Json(new { error = message, role = status.Role, leader = status.Leader, leaderUrl = status.LeaderUrl }, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>Reads the optional <c>{"reason": "..."}</c> body; a body that is not such an object is a 400 naming the problem.</summary>
    private static async Task<IResult> WithReasonAsync(HttpRequest request, Func<string?, IResult> act)
    {
        var (body, refusal) = await ReadBodyAsync(request, "{\"reason\": \"...\"}").ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var (reason, error) = OperatorActions.Reason(body);
        return error is null ? act(reason) : Results.Json(new { error }, statusCode: StatusCodes.Status400BadRequest);
    }

    private static IResult Answer((int Status, object Body) answer) => Results.Json(answer.Body, statusCode: answer.Status);

    private static string Caller(HttpRequest request) => (string)request.HttpContext.Items["caller"]!;

    /// <summary>Records an operator's outcome of a host from <c>{"at", "component", "cause", "source", "detail"}</c> (all optional).</summary>
    private static async Task<IResult> MarkAsync(string id, OutcomeKind kind, HttpRequest request, PredictorPipeline pipeline, IDatacenter datacenter, TimeProvider time)
    {
        var (body, refusal) = await ReadBodyAsync(request, OperatorOutcomes.Example).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        return Answer(OperatorOutcomes.Record(pipeline, datacenter, id, kind, body, Caller(request), time.GetUtcNow()));
    }

    /// <summary>A mutating request's JSON body (null when empty); over 64 KiB is a 413 and invalid JSON a 400, each naming the problem.</summary>
    private static async Task<(JsonElement? Body, IResult? Refusal)> ReadBodyAsync(HttpRequest request, string expected)
    {
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = 64 * 1024; // a reason or a record, not a document: larger bodies get 413
        }

        using var reader = new StreamReader(request.Body);
        string text;
        try
        {
            text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Results.Json(new { error = $"the body is over 64 KiB; expected {expected}" }, statusCode: e.StatusCode));
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }

        try
        {
            using var body = JsonDocument.Parse(text);
            return (body.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (null, Results.Json(new { error = $"the body is not valid JSON (line {e.LineNumber + 1}): {e.Message}" }, statusCode: StatusCodes.Status400BadRequest));
        }
    }
}
