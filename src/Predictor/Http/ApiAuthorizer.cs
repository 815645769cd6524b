using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Predictor.Core.Configuration;
using Predictor.Daemon.Automation;

namespace Predictor.Http;

/// <summary>
/// Guards the endpoints that change what the daemon does: only requests bearing the operators' token, loopback included
/// (with none configured, one is generated into <see cref="ApiTokenFile.DefaultPath"/>, mode 0600), and never a request a
/// browser sends on behalf of another site (an <c>Origin</c> other than the daemon's own, or <c>Sec-Fetch-Site: cross-site</c>).
/// </summary>
internal sealed class ApiAuthorizer
{
    private readonly ApiCallers _callers;
    private readonly bool _controlSocket;

    public ApiAuthorizer(IOptions<ApiOptions> options, ILogger<ApiAuthorizer> logger)
    {
        // validated at start; a caller without the options system gets the same check here
        var errors = OptionsGuard.Errors(options.Value);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(ApiOptions.SectionName, typeof(ApiOptions), errors);
        }

        var (token, generated) = ApiTokenFile.Resolve(options.Value);
        if (generated is not null)
        {
            Log.ApiTokenGenerated(logger, generated);
        }

        _callers = new ApiCallers(token, options.Value.Callers);
        _controlSocket = !string.IsNullOrEmpty(options.Value.ControlSocket);
    }

    /// <summary>Null when the request may proceed (the caller's name is then in <c>Items["caller"]</c>); otherwise the status code and the reason.</summary>
    public (int Status, string Reason)? Refusal(HttpContext context, ApiRole needed = ApiRole.Operate)
    {
        if (CrossSite(context.Request) is { } crossSite)
        {
            return (StatusCodes.Status403Forbidden, crossSite);
        }

        if (OverControlSocket(context))
        {
            context.Items["caller"] = ControlSocket.Caller;
            return null;
        }

        if (Presented(context) is not { } presented)
        {
            return (StatusCodes.Status401Unauthorized, "expected an 'Authorization: Bearer TOKEN' header");
        }

        if (_callers.Identify(presented) is not { } caller)
        {
            return (StatusCodes.Status401Unauthorized, "the bearer token does not match");
        }

        context.Items["caller"] = caller.Name;
        return caller.Role >= needed ? null : (StatusCodes.Status403Forbidden, $"caller '{caller.Name}' has the role {caller.Role.ToString().ToLowerInvariant()}; this needs {needed.ToString().ToLowerInvariant()}");
    }

    /// <summary>True when the request bears the operators' token (the owner API's operators).</summary>
    public bool BearsToken(HttpContext context) =>
        OverControlSocket(context) || (Presented(context) is { } presented && _callers.Identify(presented) is { Role: >= ApiRole.Operate });

    /// <summary>A request over the control socket: no addresses, which every TCP connection has; its directory's permissions let only the daemon's user in.</summary>
    private bool OverControlSocket(HttpContext context) =>
        _controlSocket && context.Connection.RemoteIpAddress is null && context.Connection.LocalIpAddress is null;

    /// <summary>Why a browser-borne request from another site is refused; null for the daemon's own pages and non-browser clients.</summary>
    private static string? CrossSite(HttpRequest request)
    {
        if (string.Equals(request.Headers["Sec-Fetch-Site"].ToString(), "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            return "a browser sent this request on behalf of another site (Sec-Fetch-Site: cross-site)";
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || (Uri.TryCreate(origin, UriKind.Absolute, out var from) && string.Equals(from.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"a browser sent this request from another origin ({origin}), not from {request.Host.Value}";
    }

    /// <summary>The token of an "Authorization: Bearer TOKEN" header, or null without one.</summary>
    private static byte[]? Presented(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()) : null;
    }
}

/// <summary>Checks the Api section at start: the rules of <see cref="ApiOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class ApiOptionsValidator : IValidateOptions<ApiOptions>;
