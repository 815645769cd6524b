using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Predictor.Telemetry.Push;

/// <summary>
/// Decides whether a writer's TLS client certificate is one of ours: it chains to a CA of <see cref="PushOptions.ClientCaFile"/>
/// (only those CAs, not the machine's), is valid now and is meant for client authentication. The CA file is read again
/// when it changes, so a CA can be rotated without a restart.
/// </summary>
public sealed class ClientCertificateTrust(string caFile, TimeProvider time)
{
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    private readonly Lock _gate = new();
    private (DateTime Written, X509Certificate2Collection Authorities)? _loaded;

    /// <summary>Why <paramref name="caFile"/> cannot serve as the trust anchors; null when it can.</summary>
    public static string? Problem(string? caFile)
    {
        if (string.IsNullOrWhiteSpace(caFile))
        {
            return "missing";
        }

        try
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caFile);
            return authorities.Count == 0 ? "holds no certificate" : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return $"cannot read it: {e.Message}";
        }
    }

    /// <summary>
    /// Has an HTTPS endpoint ask clients for a certificate and accept only ours. Asked, not required: the API and the
    /// dashboard share the endpoint, and the push endpoints refuse a writer without one when that is configured.
    /// </summary>
    public void AskOn(HttpsConnectionAdapterOptions https)
    {
        ArgumentNullException.ThrowIfNull(https);
        https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate;
        https.ClientCertificateValidation = (certificate, _, _) => Trusts(certificate);
    }

    /// <summary>Whether the certificate chains to one of the CAs, is valid now and allows client authentication.</summary>
    public bool Trusts(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Authorities());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthentication));
        chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        return chain.Build(certificate);
    }

    /// <summary>The CAs, read again when the file changed; while a new version cannot be read, the last one read stays.</summary>
    private X509Certificate2Collection Authorities()
    {
        lock (_gate)
        {
            try
            {
                var written = File.GetLastWriteTimeUtc(caFile);
                if (_loaded is not { } loaded || loaded.Written != written)
                {
                    var authorities = new X509Certificate2Collection();
                    authorities.ImportFromPemFile(caFile);
                    _loaded = (written, authorities);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                // a CA file being replaced, or gone: the last CAs read stay in force (none before the first read)
            }

            return _loaded?.Authorities ?? [];
        }
    }
}
