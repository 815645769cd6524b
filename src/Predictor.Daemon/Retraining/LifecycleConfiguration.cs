using Microsoft.Extensions.Configuration;
using Predictor.Core.Configuration;
using Predictor.Daemon.Ha;
using Predictor.Daemon.Outcomes;
using Predictor.Execution.Executor;

namespace Predictor.Daemon.Retraining;

/// <summary>Where the daemon that a configuration describes keeps what the lifecycle verbs read and write.</summary>
public static class LifecycleConfiguration
{
    /// <summary>The outcome log: <c>Outcomes:Path</c>, else <c>predictor-outcomes.db</c> beside <c>Executor:JournalPath</c>.</summary>
    public static string OutcomeLogPath(IConfiguration configuration) =>
        Bind<OutcomeLogOptions>(configuration).ResolvePath(Bind<ExecutorOptions>(configuration).JournalPath);

    /// <summary>
    /// The daemons' <c>Ha</c> section when it names a PostgreSQL database: they run highly available and keep the outcome
    /// log there (<see cref="State.Postgres.PostgresOutcomeLog"/>), not in <see cref="OutcomeLogPath"/>. Null when the daemon runs alone.
    /// </summary>
    public static HaOptions? SharedOutcomeLog(IConfiguration configuration) =>
        Bind<HaOptions>(configuration) is { IsShared: true } ha ? ha : null;

    /// <summary><c>Risk:RegistryPath</c>, null when not set.</summary>
    public static string? RegistryPath(IConfiguration configuration) =>
        Bind<RiskOptions>(configuration).RegistryPath is { Length: > 0 } path ? path : null;

    /// <summary>The model the daemon serves when its registry has none promoted (<c>Risk:ModelPath</c>, resolved as the daemon does); null for the rules.</summary>
    public static string? ModelPath(IConfiguration configuration) =>
        Bind<RiskOptions>(configuration).ModelPath is { Length: > 0 } path ? RiskAssessorFactory.Resolve(path) : null;

    private static T Bind<T>(IConfiguration configuration)
        where T : class, new() =>
        configuration.GetSection(OptionsSectionAttribute.Of(typeof(T))).Get<T>() ?? new T();
}
