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
        var request = context.Request;
        if (ApiAccess.CrossSite(request.Headers["Sec-Fetch-Site"].ToString(), request.Headers.Origin.ToString(), request.Host.Value ?? "") is { } crossSite)
        {
            return (StatusCodes.Status403Forbidden, crossSite);
        }

        if (OverControlSocket(context))
        {
            context.Items["caller"] = ControlSocket.Caller;
            return null;
        }

        var refusal = ApiAccess.Refusal(_callers, Presented(context), needed, out var caller);
        if (caller is not null)
        {
            context.Items["caller"] = caller;
        }

        return refusal;
    }

    /// <summary>True when the request bears the operators' token (the owner API's operators).</summary>
    public bool BearsToken(HttpContext context) =>
        OverControlSocket(context) || (Presented(context) is { } presented && _callers.Identify(presented) is { Role: >= ApiRole.Operate });

    /// <summary>A request over the control socket: no addresses, which every TCP connection has; its directory's permissions let only the daemon's user in.</summary>
    private bool OverControlSocket(HttpContext context) =>
        _controlSocket && context.Connection.RemoteIpAddress is null && context.Connection.LocalIpAddress is null;

    private static byte[]? Presented(HttpContext context) => ApiAccess.BearerToken(context.Request.Headers.Authorization.ToString());
}

/// <summary>Checks the Api section at start: the rules of <see cref="ApiOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class ApiOptionsValidator : IValidateOptions<ApiOptions>;
