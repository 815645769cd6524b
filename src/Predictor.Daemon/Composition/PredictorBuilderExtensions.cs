using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Predictor.Core.Hypervisors;
using Predictor.Core.Inventory;
using Predictor.Daemon.Datacenter;
using Predictor.Daemon.Telemetry;
using Predictor.Execution.Executor;
using Predictor.Execution.Hypervisors;
using Predictor.Execution.Hypervisors.Libvirt;
using Predictor.Execution.Hypervisors.Qmp;

namespace Predictor.Daemon.Composition;

/// <summary>The datacenter and telemetry choices of <see cref="PredictorBuilder"/>.</summary>
public static class PredictorBuilderExtensions
{
    /// <summary>A real datacenter from <c>Datacenter:InventoryPath</c>, its VMs run by QEMU over QMP (section <c>Hypervisors:Qemu</c>).</summary>
    public static PredictorBuilder UseQemu(this PredictorBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<QemuHypervisorOptions>().Bind(builder.Configuration.GetSection(QemuHypervisorOptions.SectionName));
        builder.Services.AddQemuHypervisor();
        builder.Validated.Add(typeof(QemuHypervisorOptions));
        return builder.UseRealDatacenter(HypervisorServiceCollectionExtensions.QemuKey);
    }

    /// <summary>A real datacenter from <c>Datacenter:InventoryPath</c>, its VMs run by libvirt (section <c>Hypervisors:Libvirt</c>).</summary>
    public static PredictorBuilder UseLibvirt(this PredictorBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<LibvirtHypervisorOptions>().Bind(builder.Configuration.GetSection(LibvirtHypervisorOptions.SectionName));
        builder.Services.AddLibvirtHypervisor();
        builder.Validated.Add(typeof(LibvirtHypervisorOptions));
        return builder.UseRealDatacenter(HypervisorServiceCollectionExtensions.LibvirtKey);
    }

    /// <summary>Telemetry pushed by InfluxDB writers to the daemon's own <c>/write</c> (sections <c>Push</c>, <c>Spool</c>, <c>Influx</c>).</summary>
    public static PredictorBuilder UsePushTelemetry(this PredictorBuilder builder) => builder.UseTelemetry(TelemetrySourceKind.Push);

    /// <summary>Telemetry read from InfluxDB at every pass (sections <c>Influx</c>, <c>InfluxPull</c>).</summary>
    public static PredictorBuilder UseInfluxPull(this PredictorBuilder builder) => builder.UseTelemetry(TelemetrySourceKind.Pull);

    /// <summary>Telemetry scraped from node_exporter targets at every pass (section <c>Scrape</c>).</summary>
    public static PredictorBuilder UseScrape(this PredictorBuilder builder) => builder.UseTelemetry(TelemetrySourceKind.Scrape);

    private static PredictorBuilder UseTelemetry(this PredictorBuilder builder, TelemetrySourceKind source)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.PostConfigure<TelemetrySettings>(o => o.Source = source);
        return builder;
    }

    /// <summary>Binds <see cref="DatacenterOptions"/>, validated at start whatever datacenter is chosen.</summary>
    internal static void AddDatacenterOptions(this PredictorBuilder builder) =>
        builder.AddValidatedOptions<DatacenterOptions, DatacenterOptionsValidator>();

    /// <summary>The inventory.json datacenter over the real adapter under <paramref name="key"/>, on the machine's clock.</summary>
    private static PredictorBuilder UseRealDatacenter(this PredictorBuilder builder, string key)
    {
        var services = builder.Services;
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DatacenterOptions>>().Value);
        services.AddSingleton(sp =>
        {
            var errors = new List<string>();
            var options = sp.GetRequiredService<DatacenterOptions>();
            return DatacenterDefinition.Load(
                    options,
                    options.Hypervisor == DatacenterHypervisor.Qemu ? sp.GetRequiredService<IOptions<QemuHypervisorOptions>>().Value : null,
                    options.Hypervisor == DatacenterHypervisor.Libvirt ? sp.GetRequiredService<IOptions<LibvirtHypervisorOptions>>().Value : null,
                    errors)
                ?? throw new OptionsValidationException(DatacenterOptions.SectionName, typeof(DatacenterOptions), errors);
        });
        services.AddSingleton(sp =>
        {
            var definition = sp.GetRequiredService<DatacenterDefinition>();
            var logger = sp.GetRequiredService<ILogger<InventoryDatacenter>>();
            definition.LogLoaded(sp.GetRequiredService<DatacenterOptions>(), logger);
            return new InventoryDatacenter(definition, sp.GetRequiredKeyedService<IHypervisor>(key), logger);
        });
        services.AddSingleton<IDatacenter>(sp => sp.GetRequiredService<InventoryDatacenter>());
        services.AddSingleton(sp => sp.GetRequiredKeyedService<IHypervisor>(key));
        services.AddSingleton<IExecutionObserver>(sp => sp.GetRequiredService<InventoryDatacenter>());
        services.AddSingleton<PlacementVerifier>();
        services.AddHostedService(sp => sp.GetRequiredService<PlacementVerifier>());
        services.AddSingleton<ILeaderTakeover>(sp => sp.GetRequiredService<PlacementVerifier>());
        return builder;
    }
}
