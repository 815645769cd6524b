using System.Security.Cryptography;
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
    private readonly byte[] _token;

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

        _token = Encoding.UTF8.GetBytes(token);
    }

    /// <summary>Null when the request may proceed; otherwise the status code and the reason to send back.</summary>
    public (int Status, string Reason)? Refusal(HttpContext context)
    {
        if (CrossSite(context.Request) is { } crossSite)
        {
            return (StatusCodes.Status403Forbidden, crossSite);
        }

        return Presented(context) switch
        {
            null => (StatusCodes.Status401Unauthorized, "expected an 'Authorization: Bearer TOKEN' header"),
            var presented when CryptographicOperations.FixedTimeEquals(presented, _token) => null,
            _ => (StatusCodes.Status401Unauthorized, "the bearer token does not match"),
        };
    }

    /// <summary>True when the request bears the operators' token (the owner API's operators).</summary>
    public bool BearsToken(HttpContext context) =>
        Presented(context) is { } presented && CryptographicOperations.FixedTimeEquals(presented, _token);

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
