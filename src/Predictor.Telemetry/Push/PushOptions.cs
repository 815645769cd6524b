using System.ComponentModel.DataAnnotations;
using Predictor.Core.Configuration;

namespace Predictor.Telemetry.Push;

/// <summary>The daemon's InfluxDB-compatible push endpoints (<c>/write</c>, <c>/api/v2/write</c>).</summary>
[OptionsSection("Push")]
public sealed class PushOptions : IValidatableObject
{
    /// <summary>Largest request body accepted, after gzip decompression; larger gets 413.</summary>
    /// <value>The default value is 25 MiB (InfluxDB's default <c>max-body-size</c>).</value>
    [InRange(1024, int.MaxValue)]
    public int MaxBodyBytes { get; set; } = 25 << 20;

    /// <summary>
    /// Accepted tokens. With none, every write is refused (401) unless <see cref="AllowAnonymous"/> says otherwise: a forged
    /// SMART value would quarantine a host and move its VMs. A v1 request may carry one as <c>p</c>, as the basic-auth
    /// password or as <c>Authorization: Token …</c>; a v2 request as <c>Authorization: Token …</c> (or Bearer).
    /// </summary>
    /// <value>The default value is empty.</value>
    public List<string> Tokens { get; set; } = [];

    /// <summary>
    /// Tokens bound to the hosts they may write: a line whose <c>host</c> tag (the mapping's host tag) is not one of
    /// <see cref="HostToken.Hosts"/> is refused in a partial write, so a compromised agent cannot speak for another host.
    /// Give each host (or each rack's collector) its own; <see cref="Tokens"/> may write as any host.
    /// </summary>
    /// <value>The default value is empty.</value>
    public List<HostToken> HostTokens { get; set; } = [];

    /// <summary>Accept writes without a credential when no token is configured: for a lab behind its own access control only.</summary>
    /// <value>The default value is false.</value>
    public bool AllowAnonymous { get; set; }

    /// <summary>
    /// Accept unsigned integer fields (<c>12u</c>). InfluxDB 1.x refuses them ("invalid number"), so by default they are
    /// refused here too; set it when the InfluxDB the points are forwarded to is 2.x (or there is none).
    /// </summary>
    /// <value>The default value is false.</value>
    public bool UnsignedIntegers { get; set; }

    /// <summary>
    /// TLS client certificates for pushes (on HTTPS endpoints): <see cref="PushClientCertificates.Optional"/> accepts a
    /// writer whose certificate chains to <see cref="ClientCaFile"/> without a token (others still need one);
    /// <see cref="PushClientCertificates.Required"/> refuses every push without such a certificate, and still asks for a
    /// token when tokens are configured. The API and the dashboard never need one.
    /// </summary>
    /// <value>The default value is <see cref="PushClientCertificates.None"/>.</value>
    public PushClientCertificates ClientCertificates { get; set; }

    /// <summary>PEM file of the CA certificates that sign the writers' client certificates; read again when it changes.</summary>
    /// <value>The default value is null.</value>
    public string? ClientCaFile { get; set; }

    /// <summary>Whether accepted points are spooled and forwarded to InfluxDB (needs a spool and a client).</summary>
    /// <value>The default value is false.</value>
    public bool Forward { get; set; }

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (ClientCertificates != PushClientCertificates.None && ClientCertificateTrust.Problem(ClientCaFile) is { } problem)
        {
            yield return OptionsError.Invalid("Push:ClientCaFile", problem, ClientCaFile ?? "nothing", "a PEM file of the CA certificates that sign the writers' client certificates");
        }

        for (var i = 0; i < HostTokens.Count; i++)
        {
            if (HostTokens[i].Token is not { Length: >= 8 })
            {
                yield return OptionsError.Problem(FormattableString.Invariant($"Push:HostTokens:{i}:Token"), $"missing or too short (got {HostTokens[i].Token?.Length ?? 0} characters; expected at least 8)");
            }

            if (HostTokens[i].Hosts.Count == 0 || HostTokens[i].Hosts.Any(string.IsNullOrWhiteSpace))
            {
                yield return OptionsError.Problem(FormattableString.Invariant($"Push:HostTokens:{i}:Hosts"), "empty (expected the host ids the token may write, or prefixes ending in '*')");
            }
        }

        for (var i = 0; i < Tokens.Count; i++)
        {
            if (Tokens[i].Length < 8)
            {
                // the token itself stays out of the message
                yield return OptionsError.Problem(FormattableString.Invariant($"Push:Tokens:{i}"), $"too short (got {Tokens[i].Length} characters; expected at least 8)");
            }
        }
    }
}

/// <summary>Whether pushes present TLS client certificates.</summary>
public enum PushClientCertificates
{
    /// <summary>Not asked for; tokens only.</summary>
    None,

    /// <summary>A certificate chaining to the configured CA is a credential by itself; a writer without one needs a token.</summary>
    Optional,

    /// <summary>Every push needs a certificate chaining to the configured CA (and a token too when tokens are configured).</summary>
    Required,
}

/// <summary>A push token that may write only some hosts: ids, or prefixes ending in <c>*</c> (e.g. <c>rack-07-*</c>).</summary>
public sealed class HostToken
{
    /// <summary>The token; at least 8 characters.</summary>
    public string? Token { get; set; }

    /// <summary>Host ids the token may write, or prefixes ending in <c>*</c>.</summary>
    public List<string> Hosts { get; set; } = [];

    /// <summary>True when the token may write <paramref name="host"/>.</summary>
    public bool Allows(string host) =>
        Hosts.Any(h => h.EndsWith('*') ? host.StartsWith(h[..^1], StringComparison.Ordinal) : string.Equals(h, host, StringComparison.Ordinal));
}
