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

    /// <summary>Accept writes without a credential when no token is configured: for a lab behind its own access control only.</summary>
    /// <value>The default value is false.</value>
    public bool AllowAnonymous { get; set; }

    /// <summary>Whether accepted points are spooled and forwarded to InfluxDB (needs a spool and a client).</summary>
    /// <value>The default value is false.</value>
    public bool Forward { get; set; }

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
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
