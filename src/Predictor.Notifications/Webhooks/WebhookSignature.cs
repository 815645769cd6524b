using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Predictor.Notifications.Webhooks;

/// <summary>
/// The <c>X-Predictor-Signature</c> header of generic webhooks: <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c> where hex is
/// the lower-case HMAC-SHA256, keyed with the shared secret (UTF-8), of the ASCII timestamp, a '.', and the raw
/// request body bytes. Receivers recompute it over the body exactly as received and reject timestamps older (or
/// newer) than a tolerance, so a captured request cannot be replayed later.
/// </summary>
public static class WebhookSignature
{
    /// <summary>Name of the header that carries the signature.</summary>
    public const string HeaderName = "X-Predictor-Signature";

    /// <summary>Builds the header value for <paramref name="body"/> signed at <paramref name="at"/>.</summary>
    public static string Create(string secret, ReadOnlySpan<byte> body, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds();
        return string.Create(CultureInfo.InvariantCulture, $"t={timestamp},v1={Compute(secret, timestamp, body)}");
    }

    /// <summary>
    /// True when <paramref name="header"/> is well formed, its v1 signature matches <paramref name="body"/>, and its
    /// timestamp lies within <paramref name="tolerance"/> of <paramref name="now"/>.
    /// </summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (header is null)
        {
            return false;
        }

        long? timestamp = null;
        string? signature = null;
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal) && long.TryParse(part.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (part.StartsWith("v1=", StringComparison.Ordinal))
            {
                signature = part[3..];
            }
        }

        if (timestamp is null || signature is null || Math.Abs(now.ToUnixTimeSeconds() - timestamp.Value) > tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(secret, timestamp.Value, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    private static string Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
