using System.Text;

namespace Predictor.Daemon.Automation;

/// <summary>
/// Who may change what the daemon does, decided from a request's headers: only requests bearing a caller's token (loopback
/// included) with the role the endpoint needs, and never a request a browser sends on behalf of another site (an
/// <c>Origin</c> other than the daemon's own, or <c>Sec-Fetch-Site: cross-site</c>). The HTTP layer reads the headers and
/// answers; a request over the control socket is let through there, before the token is asked for.
/// </summary>
public static class ApiAccess
{
    /// <summary>Why a browser-borne request from another site is refused (403); null for the daemon's own pages and non-browser clients.</summary>
    /// <param name="secFetchSite">The <c>Sec-Fetch-Site</c> header, empty without one.</param>
    /// <param name="origin">The <c>Origin</c> header, empty without one.</param>
    /// <param name="host">The <c>Host</c> the request was sent to (host:port).</param>
    public static string? CrossSite(string secFetchSite, string origin, string host)
    {
        if (string.Equals(secFetchSite, "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            return "a browser sent this request on behalf of another site (Sec-Fetch-Site: cross-site)";
        }

        return origin.Length == 0 || (Uri.TryCreate(origin, UriKind.Absolute, out var from) && string.Equals(from.Authority, host, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"a browser sent this request from another origin ({origin}), not from {host}";
    }

    /// <summary>The token of an <c>Authorization: Bearer TOKEN</c> header, or null without one.</summary>
    public static byte[]? BearerToken(string authorization)
    {
        const string Scheme = "Bearer ";
        return authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetBytes(authorization[Scheme.Length..].Trim()) : null;
    }

    /// <summary>
    /// Null when the caller presenting <paramref name="presented"/> has the role <paramref name="needed"/> (its name is then in
    /// <paramref name="caller"/>); otherwise the status code (401 without a matching token, 403 for too small a role) and the reason.
    /// </summary>
    public static (int Status, string Reason)? Refusal(ApiCallers callers, byte[]? presented, ApiRole needed, out string? caller)
    {
        ArgumentNullException.ThrowIfNull(callers);
        caller = null;
        if (presented is null)
        {
            return (401, "expected an 'Authorization: Bearer TOKEN' header");
        }

        if (callers.Identify(presented) is not { } identified)
        {
            return (401, "the bearer token does not match");
        }

        caller = identified.Name;
        return identified.Role >= needed ? null : (403, $"caller '{identified.Name}' has the role {identified.Role.ToString().ToLowerInvariant()}; this needs {needed.ToString().ToLowerInvariant()}");
    }
}
