using System.ComponentModel.DataAnnotations;
using Predictor.Core.Configuration;

namespace Predictor.Daemon.Telemetry;

/// <summary>Where <c>predictor run</c> takes host telemetry from.</summary>
public enum TelemetrySourceKind
{
    /// <summary>The simulator writes straight into the windows, in process (the embedded default).</summary>
    Simulator,

    /// <summary>InfluxDB writers push line protocol to the daemon's own <c>/write</c> and <c>/api/v2/write</c>.</summary>
    Push,

    /// <summary>The daemon reads new points from InfluxDB with InfluxQL at every pass.</summary>
    Pull,

    /// <summary>The daemon scrapes node_exporter targets (one per host) at every pass.</summary>
    Scrape,
}

/// <summary>The daemon's telemetry source. Bound from configuration section "Telemetry".</summary>
[OptionsSection(SectionName)]
public sealed class TelemetrySettings : IValidatableObject
{
    public const string SectionName = "Telemetry";

    /// <value>The default value is <see cref="TelemetrySourceKind.Simulator"/>.</value>
    public TelemetrySourceKind Source { get; set; } = TelemetrySourceKind.Simulator;

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Source))
        {
            yield return OptionsError.Invalid($"{SectionName}:{nameof(Source)}", "unknown source", Source, "Simulator, Push, Pull or Scrape");
        }
    }
}

/// <summary>How the simulated datacenter hands over its telemetry.</summary>
public enum SimulationEmitKind
{
    /// <summary>
    /// What the source needs: in process for Simulator, the daemon's own push endpoint for Push, InfluxDB for Pull, and
    /// for Scrape the simulated exposition when no <c>Scrape:Targets</c> are configured (nothing otherwise).
    /// </summary>
    Auto,

    /// <summary>Samples written straight into the windows (only with <see cref="TelemetrySourceKind.Simulator"/>).</summary>
    InProcess,

    /// <summary>Line protocol POSTed to an InfluxDB-compatible <c>/write</c> (by default the daemon's own).</summary>
    Push,

    /// <summary>Line protocol written to InfluxDB (the <c>Influx</c> section, or <see cref="SimulationEmitSettings.EmitUrl"/>).</summary>
    Influx,

    /// <summary>Each simulated host is served as a node_exporter at <c>/simulation/metrics/{host}</c> and scraped (only with <see cref="TelemetrySourceKind.Scrape"/>).</summary>
    Scrape,

    /// <summary>The simulator's telemetry is not emitted at all (the hosts' telemetry comes from elsewhere).</summary>
    None,
}

/// <summary>The simulator's telemetry path. Bound from configuration section "Simulation" (beside the simulated fleet's settings).</summary>
[OptionsSection(SectionName)]
public sealed class SimulationEmitSettings : IValidatableObject
{
    public const string SectionName = "Simulation";

    /// <value>The default value is <see cref="SimulationEmitKind.Auto"/>.</value>
    public SimulationEmitKind Emit { get; set; } = SimulationEmitKind.Auto;

    /// <summary>
    /// Base address the simulator writes to: for <see cref="SimulationEmitKind.Push"/> an InfluxDB-compatible server
    /// (<c>/write</c> is appended), for <see cref="SimulationEmitKind.Influx"/> an InfluxDB whose database is <c>Influx:Database</c>.
    /// </summary>
    /// <value>The default value is null: the daemon's own listener for Push, <c>Influx:BaseAddress</c> for Influx.</value>
    public Uri? EmitUrl { get; set; }

    /// <summary>Token sent with pushes (<c>Authorization: Token …</c>).</summary>
    /// <value>The default value is null: the first of <c>Push:Tokens</c> when the daemon's own endpoint is the target.</value>
    public string? EmitToken { get; set; }

    /// <summary>Largest request body the push emitter sends; a pass's telemetry is split at line boundaries.</summary>
    /// <value>The default value is 4 MiB.</value>
    [InRange(1024, int.MaxValue)]
    public int EmitBatchBytes { get; set; } = 4 << 20;

    /// <summary>The emit path <see cref="SimulationEmitKind.Auto"/> resolves to for <paramref name="source"/>.</summary>
    /// <param name="source">The telemetry source.</param>
    /// <param name="scrapeTargets">Whether <c>Scrape:Targets</c> lists real targets.</param>
    public SimulationEmitKind Resolve(TelemetrySourceKind source, bool scrapeTargets) => Emit != SimulationEmitKind.Auto ? Emit : source switch
    {
        TelemetrySourceKind.Simulator => SimulationEmitKind.InProcess,
        TelemetrySourceKind.Push => SimulationEmitKind.Push,
        TelemetrySourceKind.Pull => SimulationEmitKind.Influx,
        _ => scrapeTargets ? SimulationEmitKind.None : SimulationEmitKind.Scrape,
    };

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (EmitUrl is { } url && url is not { IsAbsoluteUri: true, Scheme: "http" or "https" })
        {
            yield return OptionsError.Invalid($"{SectionName}:{nameof(EmitUrl)}", "not an http address", url, "an absolute http or https address");
        }
    }
}
