using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Predictor.Core.Time;
using Predictor.Daemon.Composition;
using Predictor.Daemon.State;
using Predictor.Daemon.State.Postgres;
using Predictor.Core.Outcomes;
using Predictor.Execution.Journal;
using Predictor.Notifications;
using Predictor.Notifications.OwnerEvents;

namespace Predictor.Daemon.Ha;

/// <summary>
/// Registers the daemon's leadership: alone (the leader for good, its state and journal in SQLite files) or, with
/// <c>Ha:ConnectionString</c> (or <c>Ha:ConnectionStringFile</c>), one of several daemons sharing state (with the kill
/// switch), journal, lease, outcome and feature log and owners' maintenance events in PostgreSQL, elected by <see cref="LeaderElection"/>.
/// </summary>
internal static class HaServiceCollectionExtensions
{
    public static PredictorBuilder AddLeadership(this PredictorBuilder builder)
    {
        builder.AddValidatedOptions<HaOptions, HaOptionsValidator>();
        var services = builder.Services;
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<HaOptions>>().Value);
        // predictor_ha_leader is exported alone too (1): a rule over a datacenter's daemons needs no exception for one
        services.AddSingleton(sp => new HaMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetRequiredService<Leadership>));
        var section = builder.Configuration.GetSection(HaOptions.SectionName);
        if (string.IsNullOrWhiteSpace(section[nameof(HaOptions.ConnectionString)]) && string.IsNullOrWhiteSpace(section[nameof(HaOptions.ConnectionStringFile)]))
        {
            services.AddSingleton(sp => Leadership.Alone(sp.GetRequiredService<HaOptions>().ResolveNodeId(), sp.GetRequiredService<TimeProvider>()));
            return builder;
        }

        // the lease is real time: its deadlines run on the machine's clock, whatever clock the passes run on
        services.AddSingleton(sp => Leadership.Shared(sp.GetRequiredService<HaOptions>(), sp.GetRequiredKeyedService<TimeProvider>(PredictorClocks.Network), sp.GetRequiredService<ILogger<Leadership>>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<HaOptions>();
            var leadership = sp.GetRequiredService<Leadership>();
            return new PostgresDatabase(options.ResolveConnectionString()!, options) { Fenced = leadership.Fenced };
        });
        services.AddSingleton<ILeaseStore>(sp => new PostgresLeaseStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IExecutionJournal>(sp => new PostgresExecutionJournal(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<DaemonStateStore>(sp =>
        {
            var leadership = sp.GetRequiredService<Leadership>();
            return new PostgresDaemonStateStore(sp.GetRequiredService<PostgresDatabase>(), () => leadership.FencingToken);
        });
        // the outcome and feature log and owners' maintenance events are shared too: a new leader keeps both
        services.AddSingleton<IOutcomeLog>(sp =>
        {
            var leadership = sp.GetRequiredService<Leadership>();
            return new PostgresOutcomeLog(sp.GetRequiredService<PostgresDatabase>(), () => leadership.FencingToken);
        });
        services.AddSingleton(sp =>
        {
            var leadership = sp.GetRequiredService<Leadership>();
            return new MaintenanceEventStore(
                sp.GetRequiredService<IOptions<NotificationOptions>>().Value.OwnerEvents,
                new PostgresMaintenanceEventRepository(sp.GetRequiredService<PostgresDatabase>(), () => leadership.FencingToken),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<MaintenanceEventStore>>());
        });
        // registered before the pipeline's worker, so it stops after it: the leader hands over once no pass runs
        services.AddHostedService(sp => new LeaderElection(
            sp.GetRequiredService<ILeaseStore>(), sp.GetRequiredService<Leadership>(), sp.GetRequiredService<HaOptions>(), sp.GetRequiredService<Execution.Executor.PlanExecutor>(),
            sp.GetRequiredKeyedService<TimeProvider>(PredictorClocks.Network), sp.GetRequiredService<HaMetrics>(), sp.GetRequiredService<ILogger<LeaderElection>>()));
        return builder;
    }
}
