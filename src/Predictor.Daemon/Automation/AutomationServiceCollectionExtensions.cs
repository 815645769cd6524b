using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Predictor.Daemon.Composition;

namespace Predictor.Daemon.Automation;

/// <summary>Registers the pause, the kill switch, the blast-radius guard and the API's authorization.</summary>
internal static class AutomationServiceCollectionExtensions
{
    public static PredictorBuilder AddAutomationControl(this PredictorBuilder builder)
    {
        builder.AddValidatedOptions<AutomationOptions, AutomationOptionsValidator>().Configure(o =>
        {
            // the daemon always has a kill-switch file; a throw-away scenario only when one is configured (it clears the default)
            if (o.KillSwitchFile is null)
            {
                o.KillSwitchFile = AutomationOptions.DefaultKillSwitchFile;
            }
        });
        builder.AddValidatedOptions<BlastRadiusOptions, BlastRadiusOptionsValidator>();
        var services = builder.Services;
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AutomationOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<BlastRadiusOptions>>().Value);
        services.AddSingleton<AutomationControl>();
        services.AddHostedService<KillSwitchWatcher>();
        return builder;
    }
}
