using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Predictor.Core.Alerts;
using Predictor.Core.Hypervisors;
using Predictor.Core.Plans;
using Predictor.Daemon.Automation;
using Predictor.Daemon.Dashboard;
using Predictor.Daemon.Datacenter;
using Predictor.Daemon.Metrics;
using Predictor.Daemon.Telemetry;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;
using Predictor.Learning.Rules;
using Predictor.Learning.TimeSeries.Streaming;
using Predictor.Notifications;
using Predictor.Notifications.OwnerEvents;
using Predictor.Planning;
using Predictor.Execution.Updates;
using Predictor.Simulation;
using Predictor.Simulation.Time;
using Predictor.Telemetry.Windows;

namespace Predictor.Daemon;

/// <summary>How <c>predictor run</c> was asked to run.</summary>
/// <param name="For">Simulated duration of an accelerated scenario; null to run until stopped.</param>
/// <param name="Speed">Simulated seconds per real second.</param>
/// <param name="ConfigFile">Extra JSON configuration file, read after appsettings.json.</param>
/// <param name="ConfigOverrides">Configuration overrides in command-line form (<c>--Pipeline:RiskThreshold=0.6</c>).</param>
/// <param name="Verbose">Log every decision (Information) instead of warnings and errors only.</param>
public sealed record RunSettings(TimeSpan? For, double Speed, string? ConfigFile, IReadOnlyList<string> ConfigOverrides, bool Verbose);

/// <summary>Composes the daemon on the embedded default: simulated datacenter, in-process telemetry, rules, SQLite journal.</summary>
public static class DaemonComposition
{
    /// <summary>Simulated span of the embedded default when no <c>--for</c> is given.</summary>
    public static readonly TimeSpan DefaultSimulatedSpan = TimeSpan.FromDays(30);

    /// <summary>The options types the daemon validates at start.</summary>
    private static readonly Type[] s_validatedOptions =
        [typeof(PipelineOptions), typeof(RiskOptions), typeof(RuleAssessorOptions), typeof(ExecutorOptions), typeof(SimulationSettings), typeof(PlanLimits), typeof(PlanningOptions),
         typeof(DatacenterOptions), typeof(AutomationOptions), typeof(ApiOptions), typeof(BlastRadiusOptions), typeof(HostUpdateCommandOptions), typeof(HostSignalDetectorOptions)];

    /// <summary>
    /// Validates every options type and returns all failures together (the host's own start-up validation
    /// stops at the first type that fails, which would make an operator fix one section per restart).
    /// </summary>
    public static IReadOnlyList<string> ValidateConfiguration(IServiceProvider services)
    {
        var errors = new List<string>();
        foreach (var type in s_validatedOptions.Concat(TelemetrySourceComposition.ValidatedOptions))
        {
            var accessor = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
            try
            {
                _ = accessor.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(accessor);
            }
            catch (System.Reflection.TargetInvocationException e) when (e.InnerException is OptionsValidationException failure)
            {
                errors.AddRange(failure.Failures);
            }
        }

        return errors;
    }

    /// <summary>Where the HTTP API listens by default (the daemon); scenario runs pick a free port unless told otherwise.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <param name="settings">How <c>predictor run</c> was asked to run.</param>
    /// <param name="progress">Told the share of a scenario done.</param>
    /// <param name="innerClock">The real clock under the daemon's clock (tests pass their own).</param>
    /// <param name="configureServices">Applied after every other registration, so it can replace any of them (tests supply their own telemetry source).</param>
    public static WebApplication Build(RunSettings settings, IProgress<double>? progress = null, TimeProvider? innerClock = null, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. settings.ConfigOverrides],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        // Defaults of the embedded daemon, below every other source.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Limits:CpuOvercommit"] = "2",
                ["Urls"] = settings.For is null ? DefaultUrls : "http://127.0.0.1:0",
                // a scenario is a throw-away run: keep owner events in memory and only page-worthy alerts on the console
                ["Notifications:OwnerEvents:DatabasePath"] = settings.For is null ? "predictor-owner-events.db" : ":memory:",
                // a scenario must not recover the steps of an earlier scenario: its journal lives as long as it does
                ["Executor:JournalPath"] = settings.For is null ? "predictor-journal.db" : ":memory:",
                ["Notifications:Console:MinSeverity"] = settings.For is null || settings.Verbose ? "Info" : "Critical",
            },
        });
        builder.Configuration.AddEnvironmentVariables("PREDICTOR_");
        if (settings.ConfigFile is not null)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(settings.ConfigFile), optional: false);
        }

        builder.Configuration.AddCommandLine([.. settings.ConfigOverrides]);
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

        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RuleAssessorOptions>().Bind(configuration.GetSection(RuleAssessorOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ExecutorOptions>().Bind(configuration.GetSection(ExecutorOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SimulationSettings>().Bind(configuration.GetSection(SimulationSettings.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PlanLimits>().Bind(configuration.GetSection("Limits")).Validate(
            l => l.MaxConcurrent > 0 && l.MaxInboundPerHost > 0 && l.MaxOutboundPerHost > 0 && l.CpuOvercommit >= 1,
            "Limits: MaxConcurrent, MaxInboundPerHost and MaxOutboundPerHost must be at least 1 and CpuOvercommit at least 1.0").ValidateOnStart();
        services.AddOptions<PlanningOptions>().Bind(configuration.GetSection("Planning")).Validate(
            p => p.HeadroomFraction is >= 0 and < 1 && p.MaxDowntime > TimeSpan.Zero,
            "Planning: HeadroomFraction must be in [0, 1) and MaxDowntime positive").ValidateOnStart();

        var span = settings.For ?? DefaultSimulatedSpan;
        services.AddSingleton(sp => SimulatedFleet.Create(sp.GetRequiredService<IOptions<SimulationSettings>>().Value.ToOptions(span)));
        var start = new SimulationOptions().Start;
        if (settings.For is { } scenarioLength)
        {
            // a scenario runs on a virtual clock that the driver advances: results do not depend on machine load
            services.AddSingleton(new ScenarioSettings(start, scenarioLength, settings.Speed));
            services.AddSingleton(_ => new VirtualTimeProvider(start));
            services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<VirtualTimeProvider>());
            services.AddSingleton(progress ?? new Progress<double>());
            services.AddSingleton<ScenarioDriver>();
            services.AddHostedService(sp => sp.GetRequiredService<ScenarioDriver>());
        }
        else
        {
            services.AddSingleton<TimeProvider>(_ => new AcceleratedTimeProvider(innerClock ?? TimeProvider.System, start, settings.Speed));
            services.AddHostedService<PipelineWorker>();
        }

        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PipelineOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RuleAssessorOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ExecutorOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PlanLimits>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PlanningOptions>>().Value);
        services.AddSingleton<RunRecorder>();
        services.AddSingleton(sp =>
        {
            // Warm the windows before the accelerated clock is first resolved, so the run's clock starts at the fleet's start.
            var fleet = sp.GetRequiredService<SimulatedFleet>();
            var store = sp.GetRequiredService<HostWindowStore>();
            fleet.EmitTelemetry(fleet.Options.Start - SimulatedWorld.WarmUp, fleet.Options.Start, store);
            return new SimulatedWorld(fleet, fleet.Options.Start, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<RunRecorder>(), sp.GetRequiredService<ILogger<SimulatedWorld>>());
        });
        services.AddSingleton<IDatacenter>(sp => sp.GetRequiredService<SimulatedWorld>());
        services.AddTelemetrySource(configuration);
        services.AddSingleton<IHypervisor>(sp => sp.GetRequiredService<SimulatedWorld>().Hypervisor);
        services.AddSingleton(sp => new HostWindowStore(sp.GetRequiredService<IOptions<HostWindowOptions>>().Value));
        services.AddOptions<RiskOptions>().Bind(configuration.GetSection(RiskOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RiskOptions>>().Value);
        services.AddSingleton(sp => RiskAssessorFactory.Create(
            sp.GetRequiredService<IOptions<RiskOptions>>().Value, sp.GetRequiredService<RuleAssessorOptions>(),
            sp.GetRequiredService<IAlertPublisher>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Predictor.Daemon.Risk")));
        services.AddOptions<HostSignalDetectorOptions>().Bind(configuration.GetSection("Detectors")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HostSignalDetectorOptions>>(new ListValidator<HostSignalDetectorOptions>(o => [.. o.Validate().Select(e => "Detectors:" + e)]));
        services.AddSingleton(sp => new HostSignalDetectors(sp.GetRequiredService<IOptions<HostSignalDetectorOptions>>().Value, sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        // the planner's own compute time is measured on the machine's clock, also in a virtual-time scenario
        services.AddSingleton<IMaintenancePlanner>(sp => new MaintenancePlanner(TimeProvider.System, sp.GetRequiredService<ILogger<MaintenancePlanner>>()));
        services.AddOptions<HostUpdateCommandOptions>().Bind(configuration.GetSection(HostUpdateCommandOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HostUpdateCommandOptions>>(new ListValidator<HostUpdateCommandOptions>(o =>
        {
            // a real host's update cannot be "applied" by waiting: pending updates on a real datacenter need the command
            // (read unvalidated here: the Datacenter section reports its own errors)
            var datacenter = configuration.GetSection(DatacenterOptions.SectionName).Get<DatacenterOptions>() ?? new DatacenterOptions();
            return datacenter.IsReal && string.IsNullOrWhiteSpace(o.Command) && (!string.IsNullOrWhiteSpace(datacenter.UpdatesPath) || datacenter.Updates.Count > 0)
                ? [.. o.Validate(), "Updates:Command is required when Datacenter:UpdatesPath or Datacenter:Updates lists updates for a real datacenter (it is what applies them)."]
                : o.Validate();
        }));
        services.AddSingleton<IHostUpdater>(sp => sp.GetRequiredService<IOptions<HostUpdateCommandOptions>>().Value is { Command: { Length: > 0 } } commandOptions
            ? new CommandHostUpdater(commandOptions, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CommandHostUpdater>>())
            : new PlannedDurationHostUpdater(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IExecutionJournal>(sp => new SqliteExecutionJournal(sp.GetRequiredService<ExecutorOptions>().JournalPath));
        services.AddSingleton(sp => new DaemonMetrics(sp.GetRequiredService<PredictorPipeline>, sp.GetRequiredService<PlanExecutor>));
        services.AddSingleton(_ => new PrometheusExporter());
        services.AddSingleton<IExecutionObserver>(sp => new ExecutionObservers(sp.GetRequiredService<RunRecorder>(), sp.GetRequiredService<DaemonMetrics>()));
        services.AddSingleton<PlanExecutor>();
        services.AddPredictorNotifications(configuration);
        services.AddSingleton<PredictorPipeline>();
        services.AddDatacenter(configuration, settings, innerClock);
        services.AddAutomationControl(configuration, settings);
        configureServices?.Invoke(services);

        var app = builder.Build();
        // listening before anything runs, so no measurement before the first scrape is lost
        _ = app.Services.GetRequiredService<PrometheusExporter>();
        app.MapTelemetrySource();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/api/v1/status", (PredictorPipeline pipeline, PlanExecutor executor, AutomationControl automation, TimeProvider time, TelemetryStatus telemetry) => Results.Json(new
        {
            now = time.GetUtcNow(),
            quarantined = pipeline.Quarantined.Order(StringComparer.Ordinal).ToArray(),
            pendingUpdates = pipeline.PendingUpdateCount,
            rollout = new { domain = pipeline.RolloutDomain, underWay = pipeline.UpdatesUnderWay.Order(StringComparer.Ordinal).ToArray(), haltedBy = pipeline.RolloutHaltedBy },
            runningSteps = executor.RunningSteps,
            paused = executor.Paused,
            automation = automation.Status(),
            telemetry = telemetry.Snapshot(),
        }));
        app.MapAutomationControl();
        app.MapPredictorOwnerEvents();
        app.MapDashboard();
        app.MapGet("/metrics", (PrometheusExporter exporter) => Results.Text(exporter.Scrape(), "text/plain; version=0.0.4; charset=utf-8"));
        return app;
    }
}
