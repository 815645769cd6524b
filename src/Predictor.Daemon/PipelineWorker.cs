using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Predictor.Execution.Executor;

namespace Predictor.Daemon;

/// <summary>
/// The daemon's loop: reconcile the journal once, then one pipeline pass per interval on the injected
/// clock. A failed pass is logged and never stops the loop; shutdown is not an error.
/// </summary>
public sealed class PipelineWorker(
    PredictorPipeline pipeline,
    PlanExecutor executor,
    PipelineOptions options,
    TimeProvider timeProvider,
    ILogger<PipelineWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var recovered = await executor.RecoverAsync(stoppingToken).ConfigureAwait(false);
            if (recovered > 0)
            {
                Log.Recovered(logger, recovered);
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                await pipeline.TryRunPassAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(options.Interval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutdown
        }
    }
}
