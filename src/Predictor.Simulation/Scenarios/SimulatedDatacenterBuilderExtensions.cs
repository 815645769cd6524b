using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Predictor.Core.Hypervisors;
using Predictor.Core.Inventory;
using Predictor.Core.Time;
using Predictor.Daemon;
using Predictor.Notifications.OwnerEvents;
using Predictor.Daemon.Automation;
using Predictor.Daemon.Composition;
using Predictor.Daemon.Pipeline;
using Predictor.Daemon.Telemetry;
using Predictor.Execution.Executor;
using Predictor.Simulation.Emit;
using Predictor.Simulation.Time;
using Predictor.Daemon.Features;

namespace Predictor.Simulation.Scenarios;

/// <summary>How the simulated datacenter runs: as the daemon in (accelerated) real time, or as a scenario on a virtual clock.</summary>
/// <param name="Span">Simulated time the fleet's failures and updates are generated for.</param>
/// <param name="Speed">Simulated seconds per real second.</param>
/// <param name="Scenario">True for <c>predictor run --for</c>: a virtual clock, a driver that ends the run, and a recorder for its summary.</param>
/// <param name="Progress">Told the share of a scenario done.</param>
public sealed record SimulatedRun(TimeSpan Span, double Speed, bool Scenario, IProgress<double>? Progress = null);

/// <summary>The embedded default: <see cref="UseSimulatedDatacenter"/>.</summary>
public static class SimulatedDatacenterBuilderExtensions
{
    /// <summary>
    /// The simulated datacenter (section <c>Simulation</c>): the simulator's fleet, telemetry and injected failures, the
    /// simulated hypervisor, on an accelerated clock (the daemon) or a virtual one (a scenario, with
    /// <see cref="ScenarioDriver"/> instead of the pipeline's worker and a <see cref="RunRecorder"/> for the summary).
    /// </summary>
    public static PredictorBuilder UseSimulatedDatacenter(this PredictorBuilder builder, SimulatedRun run)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(run);
        var services = builder.Services;
        builder.AddValidatedOptions<SimulationSettings, SimulationSettingsValidator>();
        services.AddSingleton(sp => SimulatedFleet.Create(sp.GetRequiredService<IOptions<SimulationSettings>>().Value.ToOptions(run.Span)));
        var start = new SimulationOptions().Start;
        if (run.Scenario)
        {
            // a scenario runs on a virtual clock that the driver advances: results do not depend on machine load
            services.AddSingleton(new ScenarioSettings(start, run.Span, run.Speed));
            services.AddSingleton(_ => new VirtualTimeProvider(start));
            services.AddKeyedSingleton<TimeProvider>(PredictorClocks.Daemon, (sp, _) => sp.GetRequiredService<VirtualTimeProvider>());
            services.AddSingleton(run.Progress ?? new Progress<double>());
            services.AddSingleton<RunRecorder>();
            services.AddSingleton<IExecutionObserver>(sp => sp.GetRequiredService<RunRecorder>());
            services.AddSingleton<IPassObserver>(sp => sp.GetRequiredService<RunRecorder>());
            services.AddSingleton<ScenarioDriver>();
            // the driver runs the passes; nobody flips a kill-switch file during a throw-away run
            foreach (var loop in services.Where(d => d.ServiceType == typeof(IHostedService) && (d.ImplementationType == typeof(PipelineWorker) || d.ImplementationType == typeof(KillSwitchWatcher))).ToList())
            {
                services.Remove(loop);
            }

            services.AddHostedService(sp => sp.GetRequiredService<ScenarioDriver>());
            // a throw-away scenario has a kill-switch file only when one is configured
            var configured = builder.Configuration.GetSection(AutomationOptions.SectionName)[nameof(AutomationOptions.KillSwitchFile)];
            services.PostConfigure<AutomationOptions>(o => o.KillSwitchFile = configured);
            // nor does it keep quarantines or a pause for a next run
            services.PostConfigure<PipelineOptions>(o => o.StatePath ??= ":memory:");
        }
        else
        {
            services.AddKeyedSingleton<TimeProvider>(PredictorClocks.Daemon, (sp, _) =>
                new AcceleratedTimeProvider(sp.GetRequiredKeyedService<TimeProvider>(PredictorClocks.Network), start, run.Speed));
        }

        services.AddSingleton(sp =>
        {
            // Warm the windows and the detectors (what the pass reads features from) before the daemon's clock is first
            // resolved, so the run's clock starts at the fleet's start.
            var fleet = sp.GetRequiredService<SimulatedFleet>();
            fleet.EmitTelemetry(fleet.Options.Start - SimulatedWorld.WarmUp, fleet.Options.Start, sp.GetRequiredService<HostFeatureSource>().Sink);
            var world = new SimulatedWorld(fleet, fleet.Options.Start, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SimulatedWorld>>())
            {
                // resolved when a failure strikes, long after the pipeline (which needs the world) exists
                MayRestartOn = host => !sp.GetRequiredService<PredictorPipeline>().Quarantine.Contains(host),
            };
            if (sp.GetService<RunRecorder>() is { } recorder)
            {
                world.HostFailed += recorder.HostFailed;
            }

            return world;
        });
        // the fleet's owners answer self-service announcements (in the daemon and in scenarios alike)
        services.AddSingleton(sp => new SimulatedOwners(sp.GetRequiredService<MaintenanceEventStore>(), sp.GetRequiredService<IOptions<SimulationSettings>>().Value.Seed));
        services.AddSingleton<IDatacenter>(sp =>
        {
            sp.GetRequiredService<SimulatedOwners>();
            return sp.GetRequiredService<SimulatedWorld>();
        });
        services.AddSingleton<IHypervisor>(sp => sp.GetRequiredService<SimulatedWorld>().Hypervisor);
        services.AddSingleton<ISimulatedTelemetry>(sp => new SimulatedTelemetry(sp.GetRequiredService<SimulatedWorld>()));
        return builder;
    }
}
