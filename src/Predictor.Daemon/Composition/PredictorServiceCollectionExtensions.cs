using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Predictor.Core.Alerts;
using Predictor.Core.Configuration;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Core.Telemetry;
using Predictor.Core.Time;
using Predictor.Daemon.Automation;
using Predictor.Daemon.Ha;
using Predictor.Core.Outcomes;
using Predictor.Core.Risk;
using Predictor.Daemon.Features;
using Predictor.Daemon.Metrics;
using Predictor.Daemon.Models;
using Predictor.Daemon.Outcomes;
using Predictor.Daemon.Pipeline;
using Predictor.Daemon.Telemetry;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;
using Predictor.Execution.Updates;
using Predictor.Learning.Rules;
using Predictor.Learning.TimeSeries.Streaming;
using Predictor.Notifications;
using Predictor.Notifications.OwnerEvents;
using Predictor.Planning;
using Predictor.Telemetry.Windows;

namespace Predictor.Daemon.Composition;

/// <summary>Registers the daemon: options (validated at start), clocks, the pass and its parts, the executor, notifications and automation control.</summary>
public static class PredictorServiceCollectionExtensions
{
    /// <summary>
    /// Adds everything the daemon needs but the datacenter itself: choose it on the returned builder. Daemon time
    /// (keyed <see cref="PredictorClocks.Daemon"/>, also the unkeyed <see cref="TimeProvider"/>) is the machine's clock
    /// unless the datacenter chooses another (a simulated one runs on an accelerated or virtual clock).
    /// </summary>
    public static PredictorBuilder AddPredictor(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = new PredictorBuilder(services, configuration);
        services.AddSingleton(builder.Validated);
        services.TryAddKeyedSingleton(PredictorClocks.Network, TimeProvider.System);
        services.TryAddKeyedSingleton(PredictorClocks.Daemon, (sp, _) => sp.GetRequiredKeyedService<TimeProvider>(PredictorClocks.Network));
        services.AddSingleton(sp => sp.GetRequiredKeyedService<TimeProvider>(PredictorClocks.Daemon));
        services.AddMetrics();

        builder.AddValidatedOptions<PipelineOptions, PipelineOptionsValidator>();
        builder.AddValidatedOptions<RiskOptions, RiskOptionsValidator>();
        builder.AddValidatedOptions<OutcomeLogOptions, OutcomeLogOptionsValidator>();
        builder.AddValidatedOptions<RuleAssessorOptions, RuleAssessorOptionsValidator>();
        builder.AddValidatedOptions<ExecutorOptions, ExecutorOptionsValidator>();
        builder.AddValidatedOptions<PlanLimits, PlanLimitsValidator>();
        builder.AddValidatedOptions<PlanningOptions, PlanningOptionsValidator>();
        builder.AddValidatedOptions<HostSignalDetectorOptions, HostSignalDetectorOptionsValidator>();
        builder.AddValidatedOptions<HostUpdateCommandOptions, HostUpdateCommandOptionsValidator>();
        builder.AddDatacenterOptions();
        // alone on SQLite files, or one of several daemons on PostgreSQL: registers the shared journal and state first
        builder.AddLeadership();
        builder.AddAutomationControl();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PipelineOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RuleAssessorOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ExecutorOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PlanLimits>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PlanningOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RiskOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<OutcomeLogOptions>>().Value);

        builder.AddTelemetrySource();
        services.TryAddSingleton(sp => new HostWindowStore(sp.GetRequiredService<IOptions<HostWindowOptions>>().Value, sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(sp => new HostSignalDetectors(sp.GetRequiredService<IOptions<HostSignalDetectorOptions>>().Value, sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(sp => new HostFeatureComputer(sp.GetRequiredService<HostWindowStore>(), sp.GetService<HostSignalDetectors>()));
        // the assessor that serves: the registry's promoted model or Risk:ModelPath, reloaded without a restart when either changes
        services.TryAddSingleton(sp => ActiveRiskModel.Create(
            sp.GetRequiredService<RiskOptions>(), sp.GetRequiredService<RuleAssessorOptions>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Predictor.Daemon.Risk"),
            sp.GetRequiredService<HostFeatureComputer>().Names));
        services.TryAddSingleton<IRiskAssessor>(sp => sp.GetRequiredService<ActiveRiskModel>());
        // the outcome and feature log beside the journal (in memory when the journal is), for predictor dataset --from-log and retrain
        services.TryAddSingleton<IOutcomeLog>(sp => new SqliteOutcomeLog(sp.GetRequiredService<OutcomeLogOptions>().ResolvePath(sp.GetRequiredService<ExecutorOptions>().JournalPath)));
        services.TryAddSingleton(sp => new OutcomeRecorder(
            sp.GetRequiredService<IOutcomeLog>(), sp.GetRequiredService<OutcomeLogOptions>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Predictor.Daemon.Outcomes")));
        // the planner's own compute time is measured on the machine's clock, also in a virtual-time scenario
        services.TryAddSingleton<IMaintenancePlanner>(sp => new MaintenancePlanner(
            sp.GetRequiredKeyedService<TimeProvider>(PredictorClocks.Network), sp.GetRequiredService<ILogger<MaintenancePlanner>>()));
        services.TryAddSingleton<IHostUpdater>(sp => sp.GetRequiredService<IOptions<HostUpdateCommandOptions>>().Value is { Command: { Length: > 0 } } commandOptions
            ? new CommandHostUpdater(commandOptions, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CommandHostUpdater>>())
            : new PlannedDurationHostUpdater(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IExecutionJournal>(sp => new SqliteExecutionJournal(sp.GetRequiredService<ExecutorOptions>().JournalPath));

        // every finished step reaches its observers: the next pass (through the bounded queue), the metrics, the API's recent steps
        services.TryAddSingleton<ExecutionOutcomeQueue>();
        services.TryAddSingleton<RecentSteps>();
        services.TryAddSingleton(sp => new DaemonMetrics(
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetRequiredService<PredictorPipeline>, sp.GetRequiredService<PlanExecutor>, sp.GetRequiredService<ActiveRiskModel>()));
        services.AddSingleton<IExecutionObserver>(sp => sp.GetRequiredService<ExecutionOutcomeQueue>());
        services.AddSingleton<IExecutionObserver>(sp => sp.GetRequiredService<DaemonMetrics>());
        services.AddSingleton<IExecutionObserver>(sp => sp.GetRequiredService<RecentSteps>());
        services.TryAddSingleton(sp => new PlanExecutor(
            sp.GetRequiredService<Core.Hypervisors.IHypervisor>(), sp.GetRequiredService<IExecutionJournal>(), sp.GetRequiredService<ExecutorOptions>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PlanExecutor>>(),
            new ExecutionObservers([.. sp.GetServices<IExecutionObserver>()]), sp.GetRequiredService<IHostUpdater>(),
            FencingToken(sp.GetRequiredService<Leadership>())));
        services.TryAddSingleton<PrometheusExporter>();
        services.AddPredictorNotifications(configuration);
        builder.Validated.Add(typeof(NotificationOptions));
        builder.AddCrossSectionValidation();
        services.TryAddSingleton(sp => new PredictorPipeline(new PipelineParts
        {
            Datacenter = sp.GetRequiredService<IDatacenter>(),
            Telemetry = sp.GetRequiredService<ITelemetrySource>(),
            Windows = sp.GetRequiredService<HostWindowStore>(),
            Features = sp.GetRequiredService<HostFeatureComputer>(),
            Model = sp.GetRequiredService<ActiveRiskModel>(),
            Recorder = sp.GetRequiredService<OutcomeLogOptions>().Enabled ? sp.GetRequiredService<OutcomeRecorder>() : null,
            Planner = sp.GetRequiredService<IMaintenancePlanner>(),
            Executor = sp.GetRequiredService<PlanExecutor>(),
            Outcomes = sp.GetRequiredService<ExecutionOutcomeQueue>(),
            Alerts = sp.GetRequiredService<IAlertPublisher>(),
            Options = sp.GetRequiredService<PipelineOptions>(),
            Planning = sp.GetRequiredService<PlanningOptions>(),
            Limits = sp.GetRequiredService<PlanLimits>(),
            RiskOptions = sp.GetRequiredService<RiskOptions>(),
            Time = sp.GetRequiredService<TimeProvider>(),
            MachineClock = sp.GetRequiredKeyedService<TimeProvider>(PredictorClocks.Network),
            Loggers = sp.GetRequiredService<ILoggerFactory>(),
            OwnerEvents = sp.GetService<MaintenanceEventStore>(),
            Detectors = sp.GetService<HostSignalDetectors>(),
            Automation = sp.GetRequiredService<AutomationControl>(),
            Metrics = sp.GetRequiredService<DaemonMetrics>(),
            Observers = [.. sp.GetServices<IPassObserver>()],
            State = sp.GetRequiredService<State.DaemonStateStore>(),
        }));
        services.TryAddSingleton(sp => new Views.DaemonViews(
            sp.GetRequiredService<PredictorPipeline>(), sp.GetRequiredService<PlanExecutor>(), sp.GetRequiredService<IDatacenter>(),
            sp.GetRequiredService<HostWindowStore>(), sp.GetRequiredService<ActiveRiskModel>(), sp.GetRequiredService<AutomationControl>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<TelemetryStatus>(), sp.GetRequiredService<Leadership>()));
        services.TryAddSingleton<StartupFailure>();
        services.TryAddSingleton<State.DaemonStateStore>(sp => new State.SqliteDaemonStateStore(sp.GetRequiredService<PipelineOptions>().ResolveStatePath(sp.GetRequiredService<ExecutorOptions>().JournalPath)));
        services.AddHostedService<PipelineWorker>();
        return builder;
    }

    /// <summary>Every journal entry a step writes carries the token of the term it started in.</summary>
    private static Func<long> FencingToken(Leadership leadership) => () => leadership.FencingToken;

    /// <summary>
    /// Binds <typeparamref name="T"/> from its <see cref="OptionsSectionAttribute"/> section, validated by
    /// <typeparamref name="TValidator"/> at start and in the daemon's all-errors-at-once check.
    /// </summary>
    internal static OptionsBuilder<T> AddValidatedOptions<T, TValidator>(this PredictorBuilder builder)
        where T : class
        where TValidator : class, IValidateOptions<T>
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, TValidator>());
        builder.Validated.Add(typeof(T));
        return builder.Services.AddOptions<T>().Bind(builder.Configuration.GetSection(OptionsSectionAttribute.Of(typeof(T)))).ValidateOnStart();
    }
}
