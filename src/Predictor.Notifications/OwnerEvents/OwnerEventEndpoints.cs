using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Predictor.Notifications.OwnerEvents;

/// <summary>
/// The owner API, authenticated with "Authorization: Bearer &lt;token&gt;" (configured token → owner):
/// GET /api/v1/owner/events lists the caller's open events; POST /api/v1/owner/events/{id}/approve approves one now;
/// POST /api/v1/owner/events/{id}/reschedule with {"notBefore":"&lt;ISO 8601&gt;"} moves it inside its self-service
/// window. Errors are {"error":"..."}: 401 without a known token, 404 for unknown ids and for other owners' events
/// (so ids do not leak), 409 once an event started, 400 for a bad body or a time outside the window.
/// Events of VMs without an owner belong to no owner token (whatever name it maps to); a request the host recognises
/// as an operator's (and that bears no owner token) sees and acts on exactly those.
/// </summary>
public static class OwnerEventEndpoints
{
    private const string CallerItem = "predictor.owner";

    /// <summary>
    /// Maps the owner API; needs <see cref="MaintenanceEventStore"/> and the owner tokens registered (see AddPredictorNotifications).
    /// <paramref name="isOperator"/> tells an operator's request (e.g. one bearing the daemon's API token); without it no
    /// request is an operator's and events of VMs without an owner are not reachable through this API.
    /// </summary>
    public static RouteGroupBuilder MapPredictorOwnerEvents(this IEndpointRouteBuilder endpoints, Func<HttpContext, bool>? isOperator = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/api/v1/owner/events");
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var owner = http.RequestServices.GetRequiredService<OwnerTokens>().OwnerOf(http.Request.Headers.Authorization);
            if (owner is null && isOperator?.Invoke(http) != true)
            {
                var logger = http.RequestServices.GetRequiredService<ILogger<MaintenanceEventStore>>();
                Log.Unauthorized(logger, http.Request.Headers.Authorization.Count == 0 ? "no bearer token" : "unknown bearer token");
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Error(StatusCodes.Status401Unauthorized, "A bearer token for an owner is required (Authorization: Bearer <token>).");
            }

            // null: an operator, who acts for the VMs without an owner
            http.Items[CallerItem] = new Caller(owner);
            return await next(context).ConfigureAwait(false);
        });

        group.MapGet("/", (HttpContext http, MaintenanceEventStore store) =>
            Results.Json(new { events = store.ForOwner(Owner(http)).Select(OwnerEventDto.From) }));

        group.MapPost("/{id}/approve", (string id, HttpContext http, MaintenanceEventStore store) =>
            ToResult(store.Approve(id, Owner(http))));

        group.MapPost("/{id}/reschedule", async (string id, HttpContext http, MaintenanceEventStore store) =>
        {
            var (notBefore, error) = await ReadNotBeforeAsync(http.Request).ConfigureAwait(false);
            return notBefore is { } time ? ToResult(store.Reschedule(id, Owner(http), time)) : Error(StatusCodes.Status400BadRequest, error!);
        });

        return group;
    }

    private static string? Owner(HttpContext http) => ((Caller)http.Items[CallerItem]!).Owner;

    private static IResult ToResult(OwnerActionResult result) => result.Status switch
    {
        OwnerActionStatus.Ok => Results.Json(OwnerEventDto.From(result.Event!)),
        OwnerActionStatus.NotFound => Error(StatusCodes.Status404NotFound, result.Error!),
        OwnerActionStatus.Conflict => Error(StatusCodes.Status409Conflict, result.Error!),
        _ => Error(StatusCodes.Status400BadRequest, result.Error!),
    };

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    private static async Task<(DateTimeOffset? NotBefore, string? Error)> ReadNotBeforeAsync(HttpRequest request)
    {
        const string Expected = "expected a JSON body {\"notBefore\": \"<ISO 8601 time with offset, e.g. 2026-01-10T02:00:00Z>\"}";
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return (null, $"Request body is not valid JSON ({e.Message}); {Expected}.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("notBefore", out var value))
            {
                return (null, $"Field notBefore is missing; {Expected}.");
            }

            if (value.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                || !HasOffset(value.GetString()!))
            {
                return (null, $"Field notBefore is {value.GetRawText()}; {Expected}.");
            }

            return (time, null);
        }
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    /// <summary>Who called: an owner, or (null) an operator.</summary>
    private sealed record Caller(string? Owner);
}
