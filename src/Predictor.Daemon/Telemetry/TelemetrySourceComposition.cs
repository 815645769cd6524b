using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Predictor.Telemetry.Influx;
using Predictor.Telemetry.Mapping;
using Predictor.Telemetry.Push;
using Predictor.Telemetry.Scrape;
using Predictor.Telemetry.Spool;
using Predictor.Telemetry.Windows;
using Predictor.Core.Telemetry;
using Predictor.Daemon.Composition;

namespace Predictor.Daemon.Telemetry;

/// <summary>
/// Registers the daemon's telemetry source (<c>Telemetry:Source</c> = Simulator, Push, Pull or Scrape), its options
/// sections (validated at start), and the push endpoints. Configuration sections: <c>Telemetry</c>, <c>Push</c>,
/// <c>Spool</c>, <c>Influx</c>, <c>InfluxPull</c>, <c>Scrape</c>, <c>SignalMapping</c>, <c>Windows</c> (the resolutions of the
/// per-host windows), and the simulator's emit path in
/// <c>Simulation</c> (<c>Emit</c>, <c>EmitUrl</c>, <c>EmitToken</c>, <c>EmitBatchBytes</c>).
/// </summary>
internal static class TelemetrySourceComposition
{
    /// <summary>Registers <see cref="ITelemetrySource"/> per <c>Telemetry:Source</c>, replacing the in-process default.</summary>
    internal static PredictorBuilder AddTelemetrySource(this PredictorBuilder builder)
    {
        builder.AddValidatedOptions<TelemetrySettings, TelemetrySettingsValidator>();
        builder.AddValidatedOptions<SimulationEmitSettings, SimulationEmitSettingsValidator>();
        builder.AddValidatedOptions<PushOptions, PushOptionsValidator>();
        builder.AddValidatedOptions<SpoolOptions, SpoolOptionsValidator>();
        builder.AddValidatedOptions<InfluxOptions, InfluxOptionsValidator>();
        builder.AddValidatedOptions<InfluxPullOptions, InfluxPullOptionsValidator>();
        builder.AddValidatedOptions<ScrapeOptions, ScrapeOptionsValidator>();
        builder.AddValidatedOptions<SignalMappingOptions, SignalMappingOptionsValidator>();
        builder.AddValidatedOptions<HostWindowOptions, HostWindowOptionsValidator>();

        var services = builder.Services;
        services.AddHttpClient(TelemetryParts.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton(TelemetryParts.Create);
        services.AddSingleton(sp => sp.GetRequiredService<TelemetryParts>().Source);
        services.AddSingleton(sp => sp.GetRequiredService<TelemetryParts>().Status);
        services.AddHostedService<SpoolForwardingService>();
        return builder;
    }

    /// <summary>Replays the push spool to InfluxDB while the daemon runs (only when <c>Push:Forward</c> is on).</summary>
    private sealed class SpoolForwardingService(IServiceProvider services) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var settings = services.GetRequiredService<IOptions<TelemetrySettings>>().Value;
            return settings.Source == TelemetrySourceKind.Push && services.GetRequiredService<TelemetryParts>().Forwarder is { } forwarder
                ? forwarder.RunAsync(stoppingToken)
                : Task.CompletedTask;
        }
    }
}
