using Microsoft.Extensions.Configuration;
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

namespace Predictor.Daemon.Telemetry;

/// <summary>
/// Registers the daemon's telemetry source (<c>Telemetry:Source</c> = Simulator, Push, Pull or Scrape), its options
/// sections (validated at start), and the push endpoints. Configuration sections: <c>Telemetry</c>, <c>Push</c>,
/// <c>Spool</c>, <c>Influx</c>, <c>InfluxPull</c>, <c>Scrape</c>, <c>SignalMapping</c>, <c>Windows</c> (the resolutions of the
/// per-host windows), and the simulator's emit path in
/// <c>Simulation</c> (<c>Emit</c>, <c>EmitUrl</c>, <c>EmitToken</c>, <c>EmitBatchBytes</c>).
/// </summary>
public static class TelemetrySourceComposition
{
    public const string PushSection = "Push";
    public const string SpoolSection = "Spool";
    public const string InfluxSection = "Influx";
    public const string PullSection = "InfluxPull";
    public const string ScrapeSection = "Scrape";
    public const string MappingSection = "SignalMapping";
    public const string WindowsSection = "Windows";

    /// <summary>The options types this composition adds to the daemon's all-errors-at-once check.</summary>
    public static IReadOnlyList<Type> ValidatedOptions { get; } =
        [typeof(TelemetrySettings), typeof(PushOptions), typeof(SpoolOptions), typeof(InfluxOptions), typeof(InfluxPullOptions), typeof(ScrapeOptions), typeof(SignalMappingOptions), typeof(HostWindowOptions)];

    /// <summary>Registers <see cref="ITelemetrySource"/> per <c>Telemetry:Source</c>, replacing the in-process default.</summary>
    public static IServiceCollection AddTelemetrySource(this IServiceCollection services, IConfiguration configuration, Composition.ValidatedOptions validated)
    {
        services.AddOptions<TelemetrySettings>().Bind(configuration.GetSection(TelemetrySettings.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetrySettings>>(new TelemetryConfigurationCheck(configuration));
        services.AddOptions<SimulationEmitSettings>().Bind(configuration.GetSection(SimulationEmitSettings.SectionName));
        AddValidated<PushOptions>(services, configuration, PushSection, o => o.Validate());
        AddValidated<SpoolOptions>(services, configuration, SpoolSection, o => o.Validate());
        AddValidated<InfluxOptions>(services, configuration, InfluxSection, o => o.Validate());
        AddValidated<InfluxPullOptions>(services, configuration, PullSection, o => o.Validate());
        AddValidated<ScrapeOptions>(services, configuration, ScrapeSection, o => o.Validate());
        AddValidated<SignalMappingOptions>(services, configuration, MappingSection, o => o.Validate());
        AddValidated<HostWindowOptions>(services, configuration, WindowsSection, o => o.Validate());

        services.AddHttpClient(TelemetryParts.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton(TelemetryParts.Create);
        services.AddSingleton(sp => sp.GetRequiredService<TelemetryParts>().Source);
        services.AddSingleton(sp => sp.GetRequiredService<TelemetryParts>().Status);
        services.AddHostedService<SpoolForwardingService>();
        validated.Add([.. ValidatedOptions]);
        return services;
    }

    private static void AddValidated<T>(IServiceCollection services, IConfiguration configuration, string section, Func<T, IReadOnlyList<string>> validate)
        where T : class
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new ListValidator<T>(validate));
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
