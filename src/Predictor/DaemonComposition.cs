using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Predictor.Core.Configuration;
using Predictor.Core.Plans;
using Predictor.Core.Time;
using Predictor.Daemon.Automation;
using Predictor.Daemon.Composition;
using Predictor.Daemon.Datacenter;
using Predictor.Daemon.Metrics;
using Predictor.Daemon.Observability;
using Predictor.Daemon.Telemetry;
using Predictor.Http;
using Predictor.Observability;
using Predictor.Simulation.Scenarios;
using Predictor.Telemetry.Push;

namespace Predictor;

/// <summary>How <c>predictor run</c> was asked to run.</summary>
/// <param name="For">Simulated duration of an accelerated scenario; null to run until stopped.</param>
/// <param name="Speed">Simulated seconds per real second.</param>
/// <param name="ConfigFile">Extra JSON configuration file, read after appsettings.json.</param>
/// <param name="ConfigOverrides">Configuration overrides in command-line form (<c>--Pipeline:RiskThreshold=0.6</c>).</param>
/// <param name="Verbose">Log every decision (Information) instead of warnings and errors only.</param>
public sealed record RunSettings(TimeSpan? For, double Speed, string? ConfigFile, IReadOnlyList<string> ConfigOverrides, bool Verbose);

/// <summary>
/// The daemon's composition root: configuration and logging, <see cref="PredictorServiceCollectionExtensions.AddPredictor"/>
/// with the datacenter and telemetry source the configuration names, and the HTTP API.
/// </summary>
public static class DaemonComposition
{
    /// <summary>Simulated span of the embedded default when no <c>--for</c> is given.</summary>
    public static readonly TimeSpan DefaultSimulatedSpan = TimeSpan.FromDays(30);

    /// <summary>Where the HTTP API listens by default (the daemon); scenario runs pick a free port unless told otherwise.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>
    /// Validates every options type and returns all failures together (the host's own start-up validation
    /// stops at the first type that fails, which would make an operator fix one section per restart).
    /// </summary>
    public static IReadOnlyList<string> ValidateConfiguration(IServiceProvider services) => ConfigurationCheck.Errors(services);

    /// <param name="settings">How <c>predictor run</c> was asked to run.</param>
    /// <param name="progress">Told the share of a scenario done.</param>
    /// <param name="innerClock">The machine's clock (network time; tests pass their own).</param>
    /// <param name="configureServices">Applied after every other registration, so it can replace any of them (tests supply their own telemetry source).</param>
    /// <exception cref="InvalidOperationException">The hypervisor is unknown, or a real one was combined with a scenario (<c>--for</c>).</exception>
    public static WebApplication Build(RunSettings settings, IProgress<double>? progress = null, TimeProvider? innerClock = null, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. settings.ConfigOverrides],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        ConfigureSources(builder.Configuration, settings);
        Listeners.Configure(builder.Configuration, DefaultUrls);
        ConfigureLogging(builder, settings);
        builder.AddPredictorOpenTelemetry();
        // writers' TLS client certificates (Push:ClientCertificates): asked for on every HTTPS endpoint; a bad CA file is reported by the options check
        if (builder.Configuration.GetSection(OptionsSectionAttribute.Of(typeof(PushOptions))).Get<PushOptions>() is { ClientCertificates: not PushClientCertificates.None, ClientCaFile: { } caFile }
            && ClientCertificateTrust.Problem(caFile) is null)
        {
            var trust = new ClientCertificateTrust(caFile, innerClock ?? TimeProvider.System);
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(trust.AskOn));
        }

        var services = builder.Services;
        if (innerClock is not null)
        {
            services.AddKeyedSingleton(PredictorClocks.Network, innerClock);
        }

        if (DaemonConfiguration.ScenarioConflict(builder.Configuration, settings.For is not null) is { } conflict)
        {
            throw new InvalidOperationException(conflict);
        }

        var predictor = services.AddPredictor(builder.Configuration);
        switch (DaemonConfiguration.Hypervisor(builder.Configuration))
        {
            case DatacenterHypervisor.Simulated:
                predictor.UseSimulatedDatacenter(new SimulatedRun(settings.For ?? DefaultSimulatedSpan, settings.Speed, settings.For is not null, progress));
                break;
            case DatacenterHypervisor.Qemu:
                predictor.UseQemu();
                break;
            default:
                predictor.UseLibvirt();
                break;
        }

        predictor.AddValidatedOptions<ApiOptions, ApiOptionsValidator>();
        predictor.AddValidatedOptions<OpenTelemetryOptions, OpenTelemetryOptionsValidator>();
        predictor.AddValidatedOptions<RateLimitOptions, RateLimitOptionsValidator>();
        services.AddPredictorRateLimits();
        // evidence may carry +Infinity (a detector's martingale past double's range): written as "Infinity", not a 500
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling |= System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals);
        services.AddSingleton<ApiAuthorizer>();
        services.AddSingleton<IOwnAddress, OwnAddress>();
        configureServices?.Invoke(services);

        var app = builder.Build();
        // listening before anything runs, so no measurement before the first scrape is lost
        _ = app.Services.GetRequiredService<PrometheusExporter>();
        _ = app.Services.GetRequiredService<Daemon.Ha.HaMetrics>();
        app.UseRateLimiter();
        app.MapPredictorApi();
        return app;
    }

    /// <summary>The limits the daemon plans under: its embedded defaults, the environment, then <paramref name="configFile"/>'s Limits section.</summary>
    internal static PlanLimits Limits(string? configFile)
    {
        var configuration = new ConfigurationManager();
        ConfigureSources(configuration, new RunSettings(null, 1, configFile, [], false));
        return configuration.GetSection(OptionsSectionAttribute.Of(typeof(PlanLimits))).Get<PlanLimits>() ?? new PlanLimits();
    }

    /// <summary>The daemon's configuration as <c>predictor run</c> reads it (defaults, environment, <paramref name="configFile"/>, secrets), for the lifecycle verbs.</summary>
    internal static IConfiguration Configuration(string? configFile)
    {
        var configuration = new ConfigurationManager();
        ConfigureSources(configuration, new RunSettings(null, 1, configFile, [], false));
        return configuration;
    }

    private static void ConfigureSources(ConfigurationManager configuration, RunSettings settings)
    {
        // Defaults of the embedded daemon, below every other source.
        configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = DaemonConfiguration.Defaults(settings.For is not null, settings.Verbose, DefaultUrls),
        });
        configuration.AddEnvironmentVariables("PREDICTOR_");
        if (settings.ConfigFile is not null)
        {
            configuration.AddJsonFile(Path.GetFullPath(settings.ConfigFile), optional: false);
        }

        configuration.AddCommandLine([.. settings.ConfigOverrides]);
        // secrets as files, one per key (Api__Token, Influx__Password…): systemd's LoadCredential= or a mounted Kubernetes Secret
        foreach (var directory in new[] { Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY"), configuration["Secrets:Directory"] }.Where(d => !string.IsNullOrWhiteSpace(d)))
        {
            configuration.AddKeyPerFile(Path.GetFullPath(directory!), optional: false);
        }
    }

    private static void ConfigureLogging(WebApplicationBuilder builder, RunSettings settings)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = null;
        });
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.SetMinimumLevel(settings.Verbose || settings.For is null ? LogLevel.Information : LogLevel.Warning);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning); // request lines carry query strings: a v1 push token as ?p=
    }
}
