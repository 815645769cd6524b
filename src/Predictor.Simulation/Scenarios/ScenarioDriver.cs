using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Predictor.Core.Time;
using Predictor.Daemon;
using Predictor.Execution.Executor;
using Predictor.Simulation.Time;

namespace Predictor.Simulation.Scenarios;

/// <summary>
/// Runs an accelerated scenario (<c>predictor run --for</c>) on a virtual clock: one pipeline pass per interval, and in
/// between the clock jumps from one timer to the next (migrations finishing, failures striking), each time only once
/// the work the previous timer released has settled. The outcome therefore depends on the simulation alone, not on how
/// loaded the machine is; <c>--speed</c> only caps how fast simulated time may run (the machine's clock paces it).
/// </summary>
public sealed class ScenarioDriver(
    PredictorPipeline pipeline,
    PlanExecutor executor,
    PipelineOptions options,
    VirtualTimeProvider clock,
    ScenarioSettings scenario,
    IProgress<double> progress,
    IHostApplicationLifetime lifetime,
    [FromKeyedServices(PredictorClocks.Network)] TimeProvider machine) : BackgroundService
{
    public DateTimeOffset End => scenario.Start + scenario.Duration;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await executor.RecoverAsync(stoppingToken).ConfigureAwait(false);
            var realStart = machine.GetTimestamp();
            while (clock.GetUtcNow() < End && !stoppingToken.IsCancellationRequested)
            {
                await pipeline.TryRunPassAsync(stoppingToken).ConfigureAwait(false);
                var target = Min(End, clock.GetUtcNow() + options.Interval);
                while (clock.GetUtcNow() < target)
                {
                    await SettleAsync(stoppingToken).ConfigureAwait(false);
                    clock.AdvanceTo(clock.NextDue is { } due && due < target ? due : target);
                }

                await SettleAsync(stoppingToken).ConfigureAwait(false);
                progress.Report(Math.Clamp((clock.GetUtcNow() - scenario.Start) / scenario.Duration, 0, 1));
                var ahead = (clock.GetUtcNow() - scenario.Start) / scenario.Speed - machine.GetElapsedTime(realStart);
                if (ahead > TimeSpan.Zero)
                {
                    await Task.Delay(ahead, machine, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        progress.Report(1);
        lifetime.StopApplication();
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>Waits until no executor step can run before the clock moves (event-driven, no real-time wait).</summary>
    private Task SettleAsync(CancellationToken cancellationToken) => executor.WhenIdleAsync(cancellationToken);
}

/// <summary>What scenario to run: where simulated time starts, for how long, and at most how fast.</summary>
public sealed record ScenarioSettings(DateTimeOffset Start, TimeSpan Duration, double Speed);
