using System.Collections.Immutable;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Predictor.Core.Alerts;
using Predictor.Execution.Executor;

namespace Predictor.Daemon;

/// <summary>
/// The daemon's loop: reconcile the journal once — retrying with backoff for <see cref="PipelineOptions.StartupRetryFor"/>
/// when the hypervisor cannot be reached, with a <see cref="AlertConditions.StartupFailed"/> alert, and stopping the
/// daemon with a non-zero exit (<see cref="StartupFailure"/>) when it gives up — then one pipeline pass per interval on
/// the injected clock. A failed pass is logged and never stops the loop; shutdown is not an error.
/// </summary>
public sealed class PipelineWorker(
    PredictorPipeline pipeline,
    PlanExecutor executor,
    PipelineOptions options,
    TimeProvider timeProvider,
    ILogger<PipelineWorker> logger,
    IAlertPublisher? alerts = null,
    StartupFailure? failure = null,
    IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    private static readonly TimeSpan s_longestBackoff = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (!await RecoverAsync(stoppingToken).ConfigureAwait(false))
            {
                lifetime?.StopApplication();
                return;
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

    /// <summary>Reconciles the journal, retrying with backoff; false when it gave up (the failure is recorded).</summary>
    private async Task<bool> RecoverAsync(CancellationToken stoppingToken)
    {
        var started = timeProvider.GetTimestamp();
        var delay = TimeSpan.FromSeconds(1);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var recovered = await executor.RecoverAsync(stoppingToken).ConfigureAwait(false);
                if (recovered > 0)
                {
                    Log.Recovered(logger, recovered);
                }

                if (attempt > 1)
                {
                    await PublishAsync($"The journal was reconciled after {attempt} attempts", resolved: true, stoppingToken).ConfigureAwait(false);
                }

                return true;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                var elapsed = timeProvider.GetElapsedTime(started);
                if (attempt == 1)
                {
                    await PublishAsync($"The daemon cannot reconcile its journal with the hypervisor at start ({e.Message}); retrying for up to {options.StartupRetryFor}", resolved: false, stoppingToken).ConfigureAwait(false);
                }

                if (elapsed + delay > options.StartupRetryFor)
                {
                    var reason = $"journal recovery failed {attempt} times over {elapsed:hh\\:mm\\:ss}; last: {e.Message}";
                    Log.StartupGaveUp(logger, reason, e);
                    failure?.Fail(reason);
                    return false;
                }

                Log.RecoveryRetrying(logger, attempt, delay, e.Message);
                await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(false);
                delay = delay * 2 < s_longestBackoff ? delay * 2 : s_longestBackoff;
            }
        }
    }

    private Task PublishAsync(string summary, bool resolved, CancellationToken cancellationToken) =>
        alerts?.PublishAsync(Alert.Raise(AlertConditions.StartupFailed, null, summary, timeProvider.GetUtcNow(), ImmutableDictionary<string, string>.Empty, resolved), cancellationToken)
        ?? Task.CompletedTask;
}

/// <summary>Why the daemon stopped itself at start, if it did: the executable exits non-zero when <see cref="Reason"/> is set.</summary>
public sealed class StartupFailure
{
    private string? _reason;

    public string? Reason => Volatile.Read(ref _reason);

    internal void Fail(string reason) => Volatile.Write(ref _reason, reason);
}
