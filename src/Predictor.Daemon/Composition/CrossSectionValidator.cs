using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Predictor.Core.Configuration;
using Predictor.Daemon.Datacenter;
using Predictor.Daemon.Telemetry;
using Predictor.Execution.Hypervisors.Libvirt;
using Predictor.Execution.Hypervisors.Qmp;
using Predictor.Execution.Updates;
using Predictor.Telemetry.Push;
using Predictor.Telemetry.Scrape;

namespace Predictor.Daemon.Composition;

/// <summary>The configuration as a whole: the options type the rules that span sections are attached to (it has no settings).</summary>
internal sealed class CrossSectionCheck;

/// <summary>
/// The rules no single section can check: the files the Datacenter section names against the hypervisor section, a real
/// datacenter's pending updates against <c>Updates:Command</c>, and the telemetry source against the simulator's emit path,
/// <c>Push:Forward</c> and <c>Scrape:Targets</c>. Each section's own rules are its validator's; the sections are read here
/// as configured (bound and post-configured) but not validated, so a broken section is reported once, by its own validator.
/// </summary>
internal sealed class CrossSectionValidator(IServiceProvider services) : IValidateOptions<CrossSectionCheck>
{
    public ValidateOptionsResult Validate(string? name, CrossSectionCheck options)
    {
        var builder = new ValidateOptionsResultBuilder();
        var datacenter = Configured<DatacenterOptions>();
        var errors = new List<string>();
        if (datacenter.IsReal)
        {
            _ = DatacenterDefinition.Load(
                datacenter,
                datacenter.Hypervisor == DatacenterHypervisor.Qemu ? Configured<QemuHypervisorOptions>() : null,
                datacenter.Hypervisor == DatacenterHypervisor.Libvirt ? Configured<LibvirtHypervisorOptions>() : null,
                errors);
        }

        errors.AddRange(UpdateErrors(datacenter, Configured<HostUpdateCommandOptions>()));
        errors.AddRange(TelemetryErrors(Configured<TelemetrySettings>(), Configured<SimulationEmitSettings>(), Configured<PushOptions>(), Configured<ScrapeOptions>()));
        errors.ForEach(e => builder.AddError(e));
        return builder.Build();
    }

    /// <summary>A real host's update is not applied by waiting: pending updates on a real datacenter need the command.</summary>
    internal static IEnumerable<string> UpdateErrors(DatacenterOptions datacenter, HostUpdateCommandOptions updates)
    {
        if (datacenter.IsReal && string.IsNullOrWhiteSpace(updates.Command) && (!string.IsNullOrWhiteSpace(datacenter.UpdatesPath) || datacenter.Updates.Count > 0))
        {
            yield return OptionsError.Message($"{HostUpdateCommandOptions.SectionName}:{nameof(updates.Command)}",
                "required when Datacenter:UpdatesPath or Datacenter:Updates lists updates for a real datacenter", updates.Command, "the command that applies them");
        }
    }

    /// <summary>The telemetry source and the simulator's emit path must fit together; a scrape needs targets; forwarding needs the push source.</summary>
    internal static List<string> TelemetryErrors(TelemetrySettings telemetry, SimulationEmitSettings emit, PushOptions push, ScrapeOptions scrape)
    {
        const string Emit = SimulationEmitSettings.SectionName + ":" + nameof(SimulationEmitSettings.Emit);
        var errors = new List<string>();
        var source = telemetry.Source;
        if (!Enum.IsDefined(source))
        {
            // Telemetry:Source's own rule says so
            return errors;
        }

        var resolved = emit.Resolve(source, scrape.Targets.Count > 0);
        if (source == TelemetrySourceKind.Simulator && resolved != SimulationEmitKind.InProcess)
        {
            errors.Add(OptionsError.Message(Emit, "Telemetry:Source is Simulator, which reads the simulator in process", emit.Emit,
                "Auto or InProcess, or Telemetry:Source Push or Pull to take the simulator's telemetry over that path"));
        }

        if (source != TelemetrySourceKind.Simulator && resolved == SimulationEmitKind.InProcess)
        {
            errors.Add(OptionsError.Message(Emit, $"in-process emission needs Telemetry:Source=Simulator, but it is {source}", emit.Emit, "Auto, Push, Influx or None"));
        }

        if (resolved == SimulationEmitKind.Push && emit.EmitUrl is null && source != TelemetrySourceKind.Push)
        {
            errors.Add(OptionsError.Message(Emit, $"with no Simulation:EmitUrl it pushes to the daemon's own endpoint, which Telemetry:Source {source} does not serve", resolved,
                "Simulation:EmitUrl set, or Telemetry:Source=Push"));
        }

        if (resolved == SimulationEmitKind.Influx && source == TelemetrySourceKind.Push)
        {
            errors.Add(OptionsError.Message(Emit, "Telemetry:Source is Push, so the daemon would never read what the simulator writes to InfluxDB", emit.Emit, "another emit path, or Telemetry:Source=Pull"));
        }

        if (resolved == SimulationEmitKind.Scrape && source != TelemetrySourceKind.Scrape)
        {
            errors.Add(OptionsError.Message(Emit, $"the simulated node_exporters are read only with Telemetry:Source=Scrape, but it is {source}", emit.Emit, "another emit path, or Telemetry:Source=Scrape"));
        }

        if (source == TelemetrySourceKind.Scrape && scrape.Targets.Count == 0 && resolved != SimulationEmitKind.Scrape)
        {
            errors.Add(OptionsError.Message("Scrape:Targets", "empty with Telemetry:Source=Scrape, and the simulator does not emit", null,
                "each host's node_exporter as {\"Host\": \"<host id>\", \"Url\": \"http://<address>:9100/metrics\"}"));
        }

        if (push.Forward && source != TelemetrySourceKind.Push)
        {
            errors.Add(OptionsError.Message("Push:Forward", $"forwarding applies to points pushed to the daemon, but Telemetry:Source is {source}", push.Forward, "false, or Telemetry:Source=Push"));
        }

        return errors;
    }

    /// <summary>
    /// <typeparamref name="T"/> as the options system would build it (binding, configure and post-configure actions such as
    /// <c>UseScrape()</c>), without its validation; a value of the wrong type leaves the section at its defaults (the
    /// binding error is reported when the section itself is read).
    /// </summary>
    private T Configured<T>()
        where T : class, new()
    {
        var value = new T();
        try
        {
            foreach (var setup in services.GetServices<IConfigureOptions<T>>())
            {
                if (setup is IConfigureNamedOptions<T> named)
                {
                    named.Configure(Options.DefaultName, value);
                }
                else
                {
                    setup.Configure(value);
                }
            }

            foreach (var post in services.GetServices<IPostConfigureOptions<T>>())
            {
                post.PostConfigure(Options.DefaultName, value);
            }
        }
        catch (InvalidOperationException)
        {
            return new T();
        }

        return value;
    }
}

/// <summary>Registers the cross-section rules in the start-up check.</summary>
internal static class CrossSectionValidation
{
    public static void AddCrossSectionValidation(this PredictorBuilder builder)
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CrossSectionCheck>, CrossSectionValidator>());
        builder.Services.AddOptions<CrossSectionCheck>().ValidateOnStart();
        builder.Validated.Add(typeof(CrossSectionCheck));
    }
}
