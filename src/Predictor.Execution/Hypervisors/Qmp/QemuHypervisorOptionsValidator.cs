using System.Globalization;
using Microsoft.Extensions.Options;

namespace Predictor.Execution.Hypervisors.Qmp;

/// <summary>Checks the whole QEMU configuration at start and reports every error at once.</summary>
internal sealed class QemuHypervisorOptionsValidator : IValidateOptions<QemuHypervisorOptions>
{
    public ValidateOptionsResult Validate(string? name, QemuHypervisorOptions options)
    {
        var errors = Collect(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Every problem, each naming the setting and what was expected.</summary>
    public static List<string> Collect(QemuHypervisorOptions options)
    {
        var errors = new List<string>();
        const string S = QemuHypervisorOptions.SectionName;
        RequirePositive(errors, $"{S}:ConnectTimeout", options.ConnectTimeout);
        RequirePositive(errors, $"{S}:CommandTimeout", options.CommandTimeout);
        RequirePositive(errors, $"{S}:MigrationTimeout", options.MigrationTimeout);
        RequirePositive(errors, $"{S}:ProgressPollInterval", options.ProgressPollInterval);
        RequirePositive(errors, $"{S}:SwitchOverTimeout", options.SwitchOverTimeout);

        var seen = new Dictionary<(string, string), int>();
        for (var i = 0; i < options.Instances.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{S}:Instances:{i}");
            var instance = options.Instances[i];
            if (instance is null)
            {
                errors.Add($"{at}: expected an instance object, got null");
                continue;
            }

            if (string.IsNullOrWhiteSpace(instance.Vm))
            {
                errors.Add($"{at}:Vm: expected the VM id, got an empty value");
            }

            if (string.IsNullOrWhiteSpace(instance.Host))
            {
                errors.Add($"{at}:Host: expected the host id, got an empty value");
            }

            if (string.IsNullOrWhiteSpace(instance.QmpSocket) || !Path.IsPathFullyQualified(instance.QmpSocket))
            {
                errors.Add($"{at}:QmpSocket: expected an absolute path of a QMP unix socket, got '{instance.QmpSocket}'");
            }

            if (instance.IncomingUri is { } uri && !IsMigrationUri(uri))
            {
                errors.Add($"{at}:IncomingUri: expected 'tcp:ADDRESS:PORT' (port 1-65535) or 'unix:/absolute/path', got '{uri}'");
            }

            if (!string.IsNullOrWhiteSpace(instance.Vm) && !string.IsNullOrWhiteSpace(instance.Host))
            {
                if (seen.TryGetValue((instance.Vm, instance.Host), out var first))
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}: VM '{instance.Vm}' on host '{instance.Host}' is already configured at {S}:Instances:{first}"));
                }
                else
                {
                    seen.Add((instance.Vm, instance.Host), i);
                }
            }
        }

        return errors;
    }

    internal static bool IsMigrationUri(string uri)
    {
        if (uri.StartsWith("unix:", StringComparison.Ordinal))
        {
            return Path.IsPathFullyQualified(uri[5..]);
        }

        if (!uri.StartsWith("tcp:", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = uri[4..];
        var colon = rest.LastIndexOf(':');
        return colon > 0
            && int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is >= 1 and <= 65535;
    }

    private static void RequirePositive(List<string> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{name}: expected a positive duration, got {value}");
        }
    }
}
