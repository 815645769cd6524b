using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Predictor.Core.Configuration;
using Predictor.Daemon.Automation;

namespace Predictor.Http;

/// <summary>
/// Guards the endpoints that change what the daemon does: with a configured token, only requests bearing it; without
/// one, only requests from loopback (an operator on the machine, or through an SSH tunnel).
/// </summary>
internal sealed class ApiAuthorizer
{
    private readonly byte[]? _token;

    public ApiAuthorizer(IOptions<ApiOptions> options)
    {
        // validated at start; a caller without the options system gets the same check here
        var errors = OptionsGuard.Errors(options.Value);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(ApiOptions.SectionName, typeof(ApiOptions), errors);
        }

        _token = options.Value.ResolveToken() is { } token ? Encoding.UTF8.GetBytes(token) : null;
    }

    /// <summary>Null when the request may proceed; otherwise the status code and the reason to send back.</summary>
    public (int Status, string Reason)? Refusal(HttpContext context)
    {
        if (_token is null)
        {
            var remote = context.Connection.RemoteIpAddress;
            return remote is not null && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote)
                ? null
                : (StatusCodes.Status403Forbidden, $"no {ApiOptions.SectionName}:Token is configured, so this endpoint accepts only loopback clients");
        }

        return Presented(context) switch
        {
            null => (StatusCodes.Status401Unauthorized, "expected an 'Authorization: Bearer TOKEN' header"),
            var presented when CryptographicOperations.FixedTimeEquals(presented, _token) => null,
            _ => (StatusCodes.Status401Unauthorized, "the bearer token does not match"),
        };
    }

    /// <summary>
    /// True when a token is configured and the request bears it. Unlike <see cref="Refusal"/> a loopback client without
    /// a token is not an operator here: the owner API may sit behind a proxy on the same machine.
    /// </summary>
    public bool BearsToken(HttpContext context) =>
        _token is not null && Presented(context) is { } presented && CryptographicOperations.FixedTimeEquals(presented, _token);

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
