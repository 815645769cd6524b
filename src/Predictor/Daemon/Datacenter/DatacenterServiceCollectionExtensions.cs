using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Predictor.Core.Hypervisors;
using Predictor.Execution.Executor;
using Predictor.Execution.Hypervisors;
using Predictor.Execution.Hypervisors.Libvirt;
using Predictor.Execution.Hypervisors.Qmp;

namespace Predictor.Daemon.Datacenter;

/// <summary>Composes the datacenter the daemon looks after from the "Datacenter" section.</summary>
public static class DatacenterServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="DatacenterOptions"/>. With a QEMU or libvirt hypervisor, replaces the simulated
    /// datacenter and hypervisor with <see cref="InventoryDatacenter"/> over inventory.json and the real adapter, and the
    /// accelerated simulation clock with the real one. Telemetry still comes from whatever <c>ITelemetrySource</c> is registered.
    /// </summary>
    /// <exception cref="InvalidOperationException">The hypervisor is unknown, or a real one was combined with a scenario (<c>--for</c>).</exception>
    public static IServiceCollection AddDatacenter(this IServiceCollection services, IConfiguration configuration, RunSettings settings, TimeProvider? realClock = null)
    {
        var section = configuration.GetSection(DatacenterOptions.SectionName);
        services.AddOptions<DatacenterOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatacenterOptions>, DatacenterOptionsValidator>());
        var hypervisor = ParseHypervisor(section["Hypervisor"]);
        if (hypervisor == DatacenterHypervisor.Simulated)
        {
            return services;
        }

        if (settings.For is not null)
        {
            throw new InvalidOperationException(
                $"predictor run --for runs an accelerated scenario on the simulated datacenter; {DatacenterOptions.SectionName}:Hypervisor is {hypervisor}, which acts on real VMs in real time (drop --for, or set {DatacenterOptions.SectionName}:Hypervisor=Simulated)");
        }

        string key;
        if (hypervisor == DatacenterHypervisor.Qemu)
        {
            services.AddOptions<QemuHypervisorOptions>().Bind(configuration.GetSection(QemuHypervisorOptions.SectionName));
            services.AddQemuHypervisor();
            key = HypervisorServiceCollectionExtensions.QemuKey;
        }
        else
        {
            services.AddOptions<LibvirtHypervisorOptions>().Bind(configuration.GetSection(LibvirtHypervisorOptions.SectionName));
            services.AddLibvirtHypervisor();
            key = HypervisorServiceCollectionExtensions.LibvirtKey;
        }

        // The real datacenter runs on the real clock, whatever the embedded default chose.
        services.AddSingleton(_ => realClock ?? TimeProvider.System);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DatacenterOptions>>().Value);
        services.AddSingleton(sp =>
        {
            var errors = new List<string>();
            return DatacenterOptionsValidator.Load(sp.GetRequiredService<DatacenterOptions>(), sp, errors)
                ?? throw new OptionsValidationException(DatacenterOptions.SectionName, typeof(DatacenterOptions), errors);
        });
        services.AddSingleton(sp =>
        {
            var definition = sp.GetRequiredService<DatacenterDefinition>();
            var options = sp.GetRequiredService<DatacenterOptions>();
            var logger = sp.GetRequiredService<ILogger<InventoryDatacenter>>();
            Log.Loaded(logger, definition.Inventory.Datacenter, options.InventoryPath!, definition.Inventory.Hosts.Length, definition.Inventory.Vms.Length, definition.Updates.Count, options.Hypervisor.ToString());
            foreach (var (vm, hosts) in definition.ReachableHosts)
            {
                var candidates = definition.Inventory.Hosts.Where(h => h.AcceptsPlacements && h.Id != hosts[0]).Select(h => h.Id).ToList();
                var missing = candidates.Where(h => !hosts.Contains(h, StringComparer.Ordinal)).ToList();
                if (hosts.Length < 2)
                {
                    Log.NoDestination(logger, vm);
                }
                else if (missing.Count > 0)
                {
                    Log.MissingDestinations(logger, vm, string.Join(", ", missing.Take(10)) + (missing.Count > 10 ? $" and {missing.Count - 10} more" : ""));
                }
            }

            return new InventoryDatacenter(definition, sp.GetRequiredKeyedService<IHypervisor>(key), logger);
        });
        services.AddSingleton<IDatacenter>(sp => sp.GetRequiredService<InventoryDatacenter>());
        services.AddSingleton(sp => sp.GetRequiredKeyedService<IHypervisor>(key));
        services.AddSingleton<IExecutionObserver>(sp => new ExecutionObservers(sp.GetRequiredService<RunRecorder>(), sp.GetRequiredService<Metrics.DaemonMetrics>(), sp.GetRequiredService<InventoryDatacenter>()));
        services.AddHostedService<PlacementVerifier>();
        // The embedded default reads the simulator's telemetry; a real fleet must never see it. A real source
        // (Telemetry:Source Push, Pull or Scrape) is kept, and so is one registered after this call.
        var source = configuration.GetSection(Telemetry.TelemetrySettings.SectionName)[nameof(Telemetry.TelemetrySettings.Source)];
        if (string.IsNullOrWhiteSpace(source) || string.Equals(source, nameof(Telemetry.TelemetrySourceKind.Simulator), StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<ITelemetrySource, NoTelemetryConfigured>();
        }

        return services;
    }

    private static DatacenterHypervisor ParseHypervisor(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return DatacenterHypervisor.Simulated;
        }

        return Enum.TryParse<DatacenterHypervisor>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidOperationException(
                $"{DatacenterOptions.SectionName}:Hypervisor: unknown hypervisor '{text}'; expected one of {string.Join(", ", Enum.GetNames<DatacenterHypervisor>())}");
    }
}
