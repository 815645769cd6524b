using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Predictor.Telemetry.Push;
using Predictor.Telemetry.Scrape;

namespace Predictor.Daemon.Telemetry;

/// <summary>
/// Rules that span sections: the source and the simulator's emit path must fit together, a scrape needs targets,
/// forwarding needs the push source. Each section's own rules are checked by its options class.
/// </summary>
internal sealed class TelemetryConfigurationCheck(IConfiguration configuration) : IValidateOptions<TelemetrySettings>
{
    public ValidateOptionsResult Validate(string? name, TelemetrySettings options)
    {
        var errors = Check(options, Bind<SimulationEmitSettings>(SimulationEmitSettings.SectionName), Bind<PushOptions>(TelemetrySourceComposition.PushSection), Bind<ScrapeOptions>(TelemetrySourceComposition.ScrapeSection));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static List<string> Check(TelemetrySettings telemetry, SimulationEmitSettings emit, PushOptions push, ScrapeOptions scrape)
    {
        var errors = new List<string>();
        var source = telemetry.Source;
        if (!Enum.IsDefined(source))
        {
            errors.Add($"Telemetry:Source is '{source}'; expected Simulator, Push, Pull or Scrape.");
            return errors;
        }

        var resolved = emit.Resolve(source, scrape.Targets.Count > 0);
        if (source == TelemetrySourceKind.Simulator && resolved != SimulationEmitKind.InProcess)
        {
            errors.Add($"Simulation:Emit is {emit.Emit} but Telemetry:Source is Simulator, which reads the simulator in process; set Telemetry:Source to Push or Pull to take the simulator's telemetry over that path.");
        }

        if (source != TelemetrySourceKind.Simulator && resolved == SimulationEmitKind.InProcess)
        {
            errors.Add($"Simulation:Emit is InProcess but Telemetry:Source is {source}; in-process emission needs Telemetry:Source=Simulator (use Auto, Push, Influx or None).");
        }

        if (resolved == SimulationEmitKind.Push && emit.EmitUrl is null && source != TelemetrySourceKind.Push)
        {
            errors.Add($"Simulation:Emit is Push with no Simulation:EmitUrl, which targets the daemon's own push endpoint, but Telemetry:Source is {source}, so that endpoint is not served; set Simulation:EmitUrl or Telemetry:Source=Push.");
        }

        if (resolved == SimulationEmitKind.Influx && source == TelemetrySourceKind.Push)
        {
            errors.Add("Simulation:Emit is Influx but Telemetry:Source is Push: the daemon would never read what the simulator writes to InfluxDB; use Telemetry:Source=Pull.");
        }

        if (emit.EmitUrl is { } url && url is not { IsAbsoluteUri: true, Scheme: "http" or "https" })
        {
            errors.Add($"Simulation:EmitUrl '{url}' must be an absolute http or https address.");
        }

        if (emit.EmitBatchBytes < 1024)
        {
            errors.Add($"Simulation:EmitBatchBytes is {emit.EmitBatchBytes}; expected at least 1024.");
        }

        if (resolved == SimulationEmitKind.Scrape && source != TelemetrySourceKind.Scrape)
        {
            errors.Add($"Simulation:Emit is Scrape but Telemetry:Source is {source}; the simulated node_exporters are read only with Telemetry:Source=Scrape.");
        }

        if (source == TelemetrySourceKind.Scrape && scrape.Targets.Count == 0 && resolved != SimulationEmitKind.Scrape)
        {
            errors.Add("Telemetry:Source is Scrape but Scrape:Targets is empty and the simulator does not emit; list each host's node_exporter as {\"Host\": \"<host id>\", \"Url\": \"http://<address>:9100/metrics\"}.");
        }

        if (push.Forward && source != TelemetrySourceKind.Push)
        {
            errors.Add($"Push:Forward is on but Telemetry:Source is {source}; forwarding applies to points pushed to the daemon (Telemetry:Source=Push).");
        }

        return errors;
    }

    private T Bind<T>(string section)
        where T : new()
    {
        var value = new T();
        try
        {
            configuration.GetSection(section).Bind(value);
        }
        catch (InvalidOperationException)
        {
            // a value of the wrong type in that section is reported by the section's own validation
        }

        return value;
    }
}

/// <summary>Adapts an options class's own <c>Validate()</c> (every error at once) to the options system.</summary>
internal sealed class ListValidator<T>(Func<T, IReadOnlyList<string>> validate) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var errors = validate(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
