using System.Security.Cryptography;
using System.Text;
using Predictor.Core.Alerts;

namespace Predictor.Notifications.Routing;

/// <summary>What makes two publications of one dedup key "the same": everything but the time.</summary>
internal static class AlertFingerprint
{
    public static string Of(Alert alert)
    {
        var text = new StringBuilder()
            .Append(alert.Condition).Append('\0')
            .Append(alert.DedupKey).Append('\0')
            .Append((int)alert.Severity).Append('\0')
            .Append(alert.Summary).Append('\0')
            .Append(alert.Host).Append('\0')
            .Append(alert.Resolved ? '1' : '0');
        foreach (var (key, value) in alert.Details.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            text.Append('\0').Append(key).Append('=').Append(value);
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
