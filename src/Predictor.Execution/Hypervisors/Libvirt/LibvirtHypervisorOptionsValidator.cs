using System.Globalization;
using Microsoft.Extensions.Options;

namespace Predictor.Execution.Hypervisors.Libvirt;

/// <summary>Checks the libvirt configuration at start and reports every error at once.</summary>
internal sealed class LibvirtHypervisorOptionsValidator : IValidateOptions<LibvirtHypervisorOptions>
{
    public ValidateOptionsResult Validate(string? name, LibvirtHypervisorOptions options)
    {
        var errors = Collect(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> Collect(LibvirtHypervisorOptions options)
    {
        const string S = LibvirtHypervisorOptions.SectionName;
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.VirshPath))
        {
            errors.Add($"{S}:VirshPath: expected the virsh executable, got an empty value");
        }

        foreach (var (name, value) in new[]
        {
            ("CommandTimeout", options.CommandTimeout), ("MigrationTimeout", options.MigrationTimeout), ("ProgressPollInterval", options.ProgressPollInterval),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{S}:{name}: expected a positive duration, got {value}");
            }
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < options.Hosts.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{S}:Hosts:{i}");
            var host = options.Hosts[i];
            if (string.IsNullOrWhiteSpace(host.Host))
            {
                errors.Add($"{at}:Host: expected the host id, got an empty value");
            }
            else if (seen.TryGetValue(host.Host, out var first))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}: host '{host.Host}' is already configured at {S}:Hosts:{first}"));
            }
            else
            {
                seen.Add(host.Host, i);
            }

            if (!System.Uri.TryCreate(host.Uri, UriKind.Absolute, out _) || !host.Uri.Contains("://", StringComparison.Ordinal))
            {
                errors.Add($"{at}:Uri: expected a libvirt connection URI such as 'qemu+ssh://host/system', got '{host.Uri}'");
            }

            if (host.MigrationUri is { } m && !System.Uri.TryCreate(m, UriKind.Absolute, out _))
            {
                errors.Add($"{at}:MigrationUri: expected a URI such as 'tcp://10.0.0.17', got '{m}'");
            }

            if (host.MigrationListenAddress is { } listen && System.Uri.CheckHostName(listen) is UriHostNameType.Unknown or UriHostNameType.Basic)
            {
                errors.Add($"{at}:MigrationListenAddress: expected an IP address or host name such as '10.0.0.17', got '{listen}'");
            }
        }

        return errors;
    }
}
