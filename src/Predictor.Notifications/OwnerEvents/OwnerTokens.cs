using System.Security.Cryptography;
using System.Text;

namespace Predictor.Notifications.OwnerEvents;

/// <summary>Maps a bearer token to its owner, comparing in constant time so response timing does not leak tokens.</summary>
internal sealed class OwnerTokens(IReadOnlyDictionary<string, string> tokens)
{
    private readonly (byte[] Token, string Owner)[] _tokens = tokens.Select(t => (Encoding.UTF8.GetBytes(t.Key), t.Value)).ToArray();

    /// <summary>The owner of the token in an "Authorization: Bearer &lt;token&gt;" header, or null.</summary>
    public string? OwnerOf(string? authorization)
    {
        const string Scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var presented = Encoding.UTF8.GetBytes(authorization[Scheme.Length..].Trim());
        string? owner = null;
        foreach (var (token, candidate) in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(token, presented))
            {
                owner = candidate;
            }
        }

        return owner;
    }
}
