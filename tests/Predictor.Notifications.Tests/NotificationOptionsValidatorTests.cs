using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Predictor.Core.Alerts;

namespace Predictor.Notifications.Tests;

public sealed class NotificationOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new NotificationOptionsValidator().Validate(null, new NotificationOptions()).Succeeded);
    }

    [Fact]
    public void Validate_ManyMistakes_ReportsEveryOneAtOnce()
    {
        var options = new NotificationOptions();
        options.Alertmanager.Enabled = true;
        options.Alertmanager.ExtraLabels["host"] = "x";
        options.PagerDuty.Enabled = true;
        options.PagerDuty.RoutingKey = "short";
        options.Webhook.Enabled = true;
        options.Webhook.Url = new Uri("ftp://example.org/hook");
        options.Webhook.Secret = "tiny";
        options.Slack.Enabled = true;
        options.Slack.MaxPerHour = -1;
        options.Routing.GroupWait = TimeSpan.FromSeconds(-1);
        options.Delivery.TotalTimeout = TimeSpan.FromSeconds(1);
        options.OwnerEvents.Tokens["abc"] = "team-a";

        var result = new NotificationOptionsValidator().Validate(null, options);

        Assert.Equal(
            [
                "Notifications:Slack:MaxPerHour: out of range (got -1; expected 0 (no limit) or more).",
                "Notifications:Alertmanager:Url: required when the target is enabled (got nothing; expected an absolute http or https URL).",
                "Notifications:Alertmanager:ExtraLabels: set by Predictor, cannot be overridden (got 'host'; expected another label name).",
                "Notifications:PagerDuty:RoutingKey: not an integration key (expected the 32-character integration key of the PagerDuty service).",
                "Notifications:Slack:Url: required when the target is enabled (got nothing; expected an absolute http or https URL).",
                "Notifications:Webhook:Url: not an http address (got 'ftp://example.org/hook'; expected an absolute http or https URL).",
                "Notifications:Webhook:Secret: too short (expected at least 16 characters: it keys the HMAC-SHA256 signature).",
                "Notifications:Routing:GroupWait: out of range (got -00:00:01; expected 00:00:00 or more).",
                "Notifications:Delivery:TotalTimeout: shorter than one attempt (got 00:00:01; expected at least Notifications:Delivery:AttemptTimeout (00:00:10)).",
                "Notifications:OwnerEvents:Tokens: token too short or with spaces (got '****'; expected at least 16 characters without spaces).",
            ],
            result.Failures);
    }

    [Fact]
    public void AddPredictorNotifications_InvalidSection_FailsAtStartWithAllErrors()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notifications:PagerDuty:Enabled"] = "true",
            ["Notifications:Webhook:Enabled"] = "true",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddPredictorNotifications(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<NotificationOptions>>().Value);

        Assert.Equal(3, error.Failures.Count());
    }

    [Fact]
    public void AddPredictorNotifications_Configured_BindsTargetsInOrder()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notifications:Alertmanager:Enabled"] = "true",
            ["Notifications:Alertmanager:Url"] = "http://127.0.0.1:9093",
            ["Notifications:PagerDuty:Enabled"] = "true",
            ["Notifications:PagerDuty:RoutingKey"] = "R0123456789abcdef0123456789ABCDE",
            ["Notifications:PagerDuty:MinSeverity"] = "Warning",
            ["Notifications:OwnerEvents:DatabasePath"] = ":memory:",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddPredictorNotifications(configuration).BuildServiceProvider();

        var publisher = provider.GetRequiredService<IAlertPublisher>();

        Assert.Equal(["console", "alertmanager", "pagerduty"], Assert.IsType<Predictor.Notifications.Routing.NotificationRouter>(publisher).Targets);
        Assert.Equal(AlertSeverity.Warning, provider.GetRequiredService<IOptions<NotificationOptions>>().Value.PagerDuty.MinSeverity);
    }
}

public sealed class SampleConfigurationTests
{
    [Fact]
    public void SampleNotificationsJson_BindsAndValidates()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Predictor.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Predictor.sln not found above the test directory.");
        }

        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(root, "deploy", "alertmanager", "notifications.json")).Build();
        var options = new NotificationOptions();
        configuration.GetSection(NotificationOptions.SectionName).Bind(options);

        var result = new NotificationOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(("fra1", 6, TimeSpan.FromDays(14)), (options.Alertmanager.ExtraLabels["datacenter"], options.PagerDuty.MaxPerHour, options.OwnerEvents.SelfServiceWindow));
    }
}
