using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Predictor.Core.Configuration;

namespace Predictor.Execution.Hypervisors.Libvirt;

/// <summary>How to reach each host's libvirtd through <c>virsh</c>.</summary>
[OptionsSection(SectionName)]
public sealed class LibvirtHypervisorOptions : IValidatableObject
{
    /// <summary>The configuration section the daemon binds: <c>Hypervisors:Libvirt</c>.</summary>
    public const string SectionName = "Hypervisors:Libvirt";

    /// <summary>The virsh executable.</summary>
    /// <value>The default value is <c>virsh</c> (found on PATH).</value>
    [NotEmpty(Expected = "the virsh executable")]
    public string VirshPath { get; set; } = "virsh";

    /// <summary>One entry per host: its libvirt connection URI and, optionally, the URI migration data goes to.</summary>
    public IList<LibvirtHostOptions> Hosts { get; init; } = [];

    /// <summary>Peer-to-peer migration (<c>--p2p</c>): the source libvirtd talks to the destination's itself.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool PeerToPeer { get; set; } = true;

    /// <summary>Longest wait for one virsh call other than <c>migrate</c>.</summary>
    /// <value>The default value is 30 seconds.</value>
    [InRange(typeof(TimeSpan), "00:00:00", InRangeAttribute.Unbounded, MinimumIsExclusive = true)]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest a migration may run before it is aborted (the VM keeps running on the source).</summary>
    /// <value>The default value is 10 minutes.</value>
    [InRange(typeof(TimeSpan), "00:00:00", InRangeAttribute.Unbounded, MinimumIsExclusive = true)]
    public TimeSpan MigrationTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often <c>domjobinfo</c> is read for progress while a migration runs.</summary>
    /// <value>The default value is 1 second.</value>
    [InRange(typeof(TimeSpan), "00:00:00", InRangeAttribute.Unbounded, MinimumIsExclusive = true)]
    public TimeSpan ProgressPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The hosts' rules: each host once, with a connection URI and valid migration addresses.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Hosts.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{nameof(Hosts)}:{i}");
            var host = Hosts[i];
            if (string.IsNullOrWhiteSpace(host.Host))
            {
                yield return OptionsError.Invalid($"{at}:{nameof(host.Host)}", "empty", host.Host, "the host id");
            }
            else if (!seen.TryAdd(host.Host, i))
            {
                yield return OptionsError.Invalid($"{at}:{nameof(host.Host)}", "configured twice", host.Host,
                    string.Create(CultureInfo.InvariantCulture, $"each host once (the first is {SectionName}:{nameof(Hosts)}:{seen[host.Host]})"));
            }

            if (!System.Uri.TryCreate(host.Uri, UriKind.Absolute, out _) || !host.Uri.Contains("://", StringComparison.Ordinal))
            {
                yield return OptionsError.Invalid($"{at}:{nameof(host.Uri)}", "not a libvirt connection URI", host.Uri, "a URI such as 'qemu+ssh://host/system'");
            }

            if (host.MigrationUri is { } m && !System.Uri.TryCreate(m, UriKind.Absolute, out _))
            {
                yield return OptionsError.Invalid($"{at}:{nameof(host.MigrationUri)}", "not a URI", m, "a URI such as 'tcp://10.0.0.17'");
            }

            if (host.MigrationListenAddress is { } listen && System.Uri.CheckHostName(listen) is UriHostNameType.Unknown or UriHostNameType.Basic)
            {
                yield return OptionsError.Invalid($"{at}:{nameof(host.MigrationListenAddress)}", "not an address", listen, "an IP address or host name such as '10.0.0.17'");
            }
        }
    }
}

/// <summary>One libvirt host.</summary>
public sealed class LibvirtHostOptions
{
    /// <summary>The host id as in inventory.json.</summary>
    public string Host { get; set; } = "";

    /// <summary>The libvirt connection URI, e.g. <c>qemu+ssh://root@host-17/system</c> or <c>qemu+tls://host-17/system</c>.</summary>
    public string Uri { get; set; } = "";

    /// <summary>Where migration data to this host goes (<c>--migrateuri</c>, e.g. <c>tcp://10.1.0.17</c>); null lets libvirt choose.</summary>
    public string? MigrationUri { get; set; }

    /// <summary>
    /// The address this host's QEMU listens on for an incoming migration (<c>--listen-address</c>, e.g. the
    /// host's address on the migration network); null lets the destination's qemu.conf decide (by default
    /// every address).
    /// </summary>
    public string? MigrationListenAddress { get; set; }
}
