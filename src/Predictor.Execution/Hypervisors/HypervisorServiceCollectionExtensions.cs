using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Predictor.Core.Hypervisors;
using Predictor.Execution.Hypervisors.Libvirt;
using Predictor.Execution.Hypervisors.Qmp;

namespace Predictor.Execution.Hypervisors;

/// <summary>Registers the real hypervisor adapters as keyed <see cref="IHypervisor"/> services.</summary>
public static class HypervisorServiceCollectionExtensions
{
    /// <summary>The service key of the QEMU (QMP) adapter.</summary>
    public const string QemuKey = "qemu";

    /// <summary>The service key of the libvirt (virsh) adapter.</summary>
    public const string LibvirtKey = "libvirt";

    /// <summary>
    /// Adds the QEMU adapter under <see cref="QemuKey"/>; its options are validated at start with every
    /// error reported at once. Bind <see cref="QemuHypervisorOptions"/> (section <c>Hypervisors:Qemu</c>) separately or pass <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddQemuHypervisor(this IServiceCollection services, Action<QemuHypervisorOptions>? configure = null)
    {
        var builder = services.AddOptions<QemuHypervisorOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QemuHypervisorOptions>, QemuHypervisorOptionsValidator>());
        AddShared(services);
        services.TryAddKeyedSingleton<IHypervisor>(QemuKey, (sp, _) => ActivatorUtilities.CreateInstance<QemuHypervisor>(sp));
        return services;
    }

    /// <summary>
    /// Adds the libvirt adapter under <see cref="LibvirtKey"/>; bind <see cref="LibvirtHypervisorOptions"/>
    /// (section <c>Hypervisors:Libvirt</c>) separately or pass <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddLibvirtHypervisor(this IServiceCollection services, Action<LibvirtHypervisorOptions>? configure = null)
    {
        var builder = services.AddOptions<LibvirtHypervisorOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LibvirtHypervisorOptions>, LibvirtHypervisorOptionsValidator>());
        AddShared(services);
        services.TryAddSingleton<IVirshRunner, VirshProcessRunner>();
        services.TryAddKeyedSingleton<IHypervisor>(LibvirtKey, (sp, _) => ActivatorUtilities.CreateInstance<LibvirtHypervisor>(sp));
        return services;
    }

    private static void AddShared(IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HypervisorMetrics>();
    }
}
