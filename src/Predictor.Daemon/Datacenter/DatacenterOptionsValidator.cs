using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Predictor.Execution.Hypervisors.Libvirt;
using Predictor.Execution.Hypervisors.Qmp;

namespace Predictor.Daemon.Datacenter;

/// <summary>
/// Checks the Datacenter section together with the hypervisor section it selects and the files they name
/// (inventory, pending updates), so one start-up reports every problem at once.
/// </summary>
internal sealed class DatacenterOptionsValidator(IServiceProvider services) : IValidateOptions<DatacenterOptions>
{
    public ValidateOptionsResult Validate(string? name, DatacenterOptions options)
    {
        var errors = new List<string>();
        _ = Load(options, services, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The definition, or null with the reasons in <paramref name="errors"/> (the hypervisor section's own errors included).</summary>
    internal static DatacenterDefinition? Load(DatacenterOptions options, IServiceProvider services, List<string> errors)
    {
        var before = errors.Count;
        var qemu = options.Hypervisor == DatacenterHypervisor.Qemu
            ? Section<QemuHypervisorOptions>(services, QemuHypervisorOptions.SectionName, errors)
            : new QemuHypervisorOptions();
        var libvirt = options.Hypervisor == DatacenterHypervisor.Libvirt
            ? Section<LibvirtHypervisorOptions>(services, LibvirtHypervisorOptions.SectionName, errors)
            : new LibvirtHypervisorOptions();
        var definition = DatacenterDefinition.Load(options, qemu, libvirt, errors);
        return errors.Count > before ? null : definition;
    }

    /// <summary>The section as bound, its own validators' failures added to <paramref name="errors"/>.</summary>
    private static T Section<T>(IServiceProvider services, string section, List<string> errors)
        where T : class, new()
    {
        var value = new T();
        services.GetRequiredService<IConfiguration>().GetSection(section).Bind(value);
        foreach (var validator in services.GetServices<IValidateOptions<T>>())
        {
            var result = validator.Validate(Options.DefaultName, value);
            if (result.Failed)
            {
                errors.AddRange(result.Failures);
            }
        }

        return value;
    }
}
