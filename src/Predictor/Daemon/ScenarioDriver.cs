using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Predictor.Execution.Executor;
using Predictor.Simulation.Time;

namespace Predictor.Daemon;

/// <summary>
/// Runs an accelerated scenario (<c>predictor run --for</c>) on a virtual clock: one pipeline pass per
/// interval, and in between the clock jumps from one timer to the next (migrations finishing, failures
/// striking), waiting for the work each releases. The outcome therefore depends on the simulation alone,
/// not on how loaded the machine is; <c>--speed</c> only caps how fast simulated time may run.
/// </summary>
public sealed class ScenarioDriver(
    PredictorPipeline pipeline,
    PlanExecutor executor,
    PipelineOptions options,
    VirtualTimeProvider clock,
    ScenarioSettings scenario,
    IProgress<double> progress,
    IHostApplicationLifetime lifetime,
    ILogger<ScenarioDriver> logger) : BackgroundService
{
    /// <summary>The real clock, used only to keep simulated time from running faster than the requested speed.</summary>
    private readonly TimeProvider _real = TimeProvider.System;

    public DateTimeOffset End => scenario.Start + scenario.Duration;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await executor.RecoverAsync(stoppingToken).ConfigureAwait(false);
            var realStart = _real.GetTimestamp();
            while (clock.GetUtcNow() < End && !stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await pipeline.RunPassAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.PassFailed(logger, clock.GetUtcNow(), e);
                }

                var target = Min(End, clock.GetUtcNow() + options.Interval);
                while (clock.GetUtcNow() < target)
                {
                    clock.AdvanceTo(clock.NextDue is { } due && due < target ? due : target);
                    await SettleAsync().ConfigureAwait(false);
                }

                progress.Report(Math.Clamp((clock.GetUtcNow() - scenario.Start) / scenario.Duration, 0, 1));
                var ahead = (clock.GetUtcNow() - scenario.Start) / scenario.Speed - _real.GetElapsedTime(realStart);
                if (ahead > TimeSpan.Zero)
                {
                    await Task.Delay(ahead, _real, stoppingToken).ConfigureAwait(false);
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

    /// <summary>Lets the continuations a timer released run before the clock moves on (they run on the thread pool).</summary>
    private async Task SettleAsync()
    {
        await Task.Yield();
        // Only executor steps continue asynchronously after a timer; failures and passes run inline.
        for (var i = 0; i < 2 && executor.RunningSteps > 0; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1), _real).ConfigureAwait(false);
        }
    }
}

/// <summary>What scenario to run: where simulated time starts, for how long, and at most how fast.</summary>
public sealed record ScenarioSettings(DateTimeOffset Start, TimeSpan Duration, double Speed);
