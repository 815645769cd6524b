using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Predictor.Core.Alerts;
using Predictor.Notifications.Alertmanager;
using Predictor.Notifications.Console;
using Predictor.Notifications.Delivery;
using Predictor.Notifications.OwnerEvents;
using Predictor.Notifications.PagerDuty;
using Predictor.Notifications.Routing;
using Predictor.Notifications.Webhooks;

namespace Predictor.Notifications;

/// <summary>Registers notifications and owner maintenance events.</summary>
public static class NotificationsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="NotificationOptions"/> from section "Notifications" (validated at start, all errors at once) and
    /// registers <see cref="NotificationRouter"/> as the <see cref="IAlertPublisher"/>, the hosted pump that delivers
    /// grouped, rate-limited notifications, and <see cref="MaintenanceEventStore"/> for the planner and the owner API
    /// (map it with <see cref="OwnerEventEndpoints.MapPredictorOwnerEvents"/>).
    /// </summary>
    public static IServiceCollection AddPredictorNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        // One long-lived client per router; pooled connections are recycled so DNS changes are picked up.
        services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.TryAddSingleton<NotificationMetrics>();
        services.TryAddSingleton(sp => Create(sp));
        services.TryAddSingleton<IAlertPublisher>(sp => sp.GetRequiredService<NotificationRouter>());
        services.AddHostedService(sp => new NotificationPump(
            sp.GetRequiredService<NotificationRouter>(),
            sp.GetRequiredService<IOptions<NotificationOptions>>().Value.Routing,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<NotificationPump>>()));
        services.TryAddSingleton(sp => new MaintenanceEventStore(
            sp.GetRequiredService<IOptions<NotificationOptions>>().Value.OwnerEvents,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MaintenanceEventStore>>()));
        services.AddHostedService(sp => new OwnerWebhooks(
            sp.GetRequiredService<MaintenanceEventStore>(), sp.GetRequiredService<IOptions<NotificationOptions>>().Value.OwnerEvents,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<OwnerWebhooks>>()));
        services.TryAddSingleton(sp => new OwnerTokens(sp.GetRequiredService<IOptions<NotificationOptions>>().Value.OwnerEvents.Tokens));
        return services;
    }

    internal const string HttpClientName = "Predictor.Notifications";

    /// <summary>The enabled targets, in a fixed order: console, Alertmanager, PagerDuty, Slack, webhook.</summary>
    internal static IEnumerable<TargetRoute> Routes(NotificationOptions options, HttpClient client, TimeProvider time, TextWriter console)
    {
        var delivery = new HttpDelivery(options.Delivery, time);
        var runbook = options.Routing.RunbookBaseUrl?.ToString();
        if (options.Console.Enabled)
        {
            yield return Route(new ConsoleTarget(console, runbook), options.Console);
        }

        if (options.Alertmanager.Enabled)
        {
            yield return Route(new AlertmanagerTarget(client, delivery, options.Alertmanager, runbook, time), options.Alertmanager);
        }

        if (options.PagerDuty.Enabled)
        {
            yield return Route(new PagerDutyTarget(client, delivery, options.PagerDuty, runbook), options.PagerDuty);
        }

        if (options.Slack.Enabled)
        {
            yield return Route(new SlackTarget(client, delivery, options.Slack, runbook), options.Slack);
        }

        if (options.Webhook.Enabled)
        {
            yield return Route(new WebhookTarget(client, delivery, options.Webhook, runbook, time), options.Webhook);
        }
    }

    private static TargetRoute Route(INotificationTarget target, TargetOptions options) =>
        new(target, options.MinSeverity, options.MaxPerHour, options.Burst);

    private static NotificationRouter Create(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<NotificationOptions>>().Value;
        var time = sp.GetRequiredService<TimeProvider>();
        var client = sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);

        // Polly owns the timeouts; the client's own would cut retries short.
        client.Timeout = Timeout.InfiniteTimeSpan;
        return new NotificationRouter(
            Routes(options, client, time, System.Console.Out),
            new RouterSettings(options.Routing.GroupWait, options.Routing.RepeatInterval),
            time,
            sp.GetRequiredService<NotificationMetrics>(),
            sp.GetRequiredService<ILogger<NotificationRouter>>());
    }
}
