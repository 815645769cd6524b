using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Predictor.Daemon.Automation;

/// <summary>Registers the pause, the kill switch, the blast-radius guard and the API's authorization.</summary>
public static class AutomationServiceCollectionExtensions
{
    public static IServiceCollection AddAutomationControl(this IServiceCollection services, IConfiguration configuration, Composition.ValidatedOptions validated)
    {
        services.AddOptions<AutomationOptions>().Bind(configuration.GetSection(AutomationOptions.SectionName)).Configure(o =>
        {
            // the daemon always has a kill-switch file; a throw-away scenario only when one is configured (it clears the default)
            if (o.KillSwitchFile is null)
            {
                o.KillSwitchFile = AutomationOptions.DefaultKillSwitchFile;
            }
        }).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BlastRadiusOptions>().Bind(configuration.GetSection(BlastRadiusOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AutomationOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<BlastRadiusOptions>>().Value);
        services.AddSingleton<AutomationControl>();
        services.AddHostedService<KillSwitchWatcher>();
        validated.Add(typeof(AutomationOptions), typeof(BlastRadiusOptions));

        return services;
    }
}
