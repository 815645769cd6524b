using System.Collections.Immutable;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Predictor.Core.Alerts;
using Predictor.Execution.Executor;

namespace Predictor.Daemon;

/// <summary>
/// The daemon's loop. Whenever this daemon becomes the leader (at once for a daemon that runs alone) it takes over: reads
/// the shared state again, reconciles the journal — retrying with backoff for <see cref="PipelineOptions.StartupRetryFor"/>
/// when the hypervisor cannot be reached, with a <see cref="AlertConditions.StartupFailed"/> alert, and stopping the
/// daemon with a non-zero exit (<see cref="StartupFailure"/>) when it gives up — and brings placements up to date
/// (<see cref="ILeaderTakeover"/>). Then one pass per interval on the injected clock, acting while it leads and only
/// ingesting and assessing as a standby; a change of role starts the next pass at once. A failed pass is logged and never
/// stops the loop; shutdown is not an error.
/// </summary>
public sealed class PipelineWorker(
    PredictorPipeline pipeline,
    PlanExecutor executor,
    PipelineOptions options,
    TimeProvider timeProvider,
    ILogger<PipelineWorker> logger,
    IAlertPublisher? alerts = null,
    StartupFailure? failure = null,
    IHostApplicationLifetime? lifetime = null,
    Ha.Leadership? leadership = null,
    IEnumerable<ILeaderTakeover>? takeovers = null) : BackgroundService
{
    private static readonly TimeSpan s_longestBackoff = TimeSpan.FromMinutes(1);
    private readonly Ha.Leadership _leadership = leadership ?? Ha.Leadership.Alone(Environment.MachineName, timeProvider);
    private readonly ILeaderTakeover[] _takeovers = [.. takeovers ?? []];

    /// <summary>The term this daemon took over in (its fencing token); -1 before it first led.</summary>
    private long _term = -1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var token = _leadership.FencingToken;
                if (_leadership.IsLeader && _term != token && await TakeOverAsync(token, stoppingToken).ConfigureAwait(false) == Takeover.GaveUp)
                {
                    lifetime?.StopApplication();
                    return;
                }

                await pipeline.TryRunPassAsync(_leadership.IsLeader && _term == _leadership.FencingToken, stoppingToken).ConfigureAwait(false);
                await _leadership.WhenChangedAsync(options.Interval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutdown
        }
    }

    /// <summary>
    /// Takes over as the leader of term <paramref name="token"/>: the shared state as it is now, the journal reconciled with
    /// the hypervisor, placements brought up to date.
    /// </summary>
    private async Task<Takeover> TakeOverAsync(long token, CancellationToken stoppingToken)
    {
        var started = timeProvider.GetTimestamp();
        if (_leadership.IsShared)
        {
            Log.TakingOver(logger, _leadership.NodeId, token);
        }

        var recovered = await RecoverAsync(stoppingToken).ConfigureAwait(false);
        if (recovered != Takeover.Done)
        {
            return recovered;
        }

        foreach (var takeover in _takeovers)
        {
            await takeover.TakeOverAsync(stoppingToken).ConfigureAwait(false);
        }

        _term = token;
        if (_leadership.IsShared)
        {
            Log.TookOver(logger, _leadership.NodeId, token, timeProvider.GetElapsedTime(started).TotalSeconds);
        }

        return Takeover.Done;
    }

    /// <summary>
    /// Reads the shared state again (another leader may have changed it) and reconciles the journal, retrying both with
    /// backoff while this daemon still leads; gives up (the failure recorded) after <see cref="PipelineOptions.StartupRetryFor"/>.
    /// </summary>
    private async Task<Takeover> RecoverAsync(CancellationToken stoppingToken)
    {
        var started = timeProvider.GetTimestamp();
        var delay = TimeSpan.FromSeconds(1);
        for (var attempt = 1; ; attempt++)
        {
            if (!_leadership.IsLeader)
            {
                // stood down meanwhile: the next leader reconciles
                if (attempt > 1)
                {
                    await PublishAsync($"This daemon stopped leading while it could not reconcile its journal ({attempt - 1} attempts); the next leader reconciles it", resolved: true, stoppingToken).ConfigureAwait(false);
                }

                return Takeover.NotLeader;
            }

            try
            {
                pipeline.ReloadSharedState();
                var recovered = await executor.RecoverAsync(stoppingToken).ConfigureAwait(false);
                if (recovered > 0)
                {
                    Log.Recovered(logger, recovered);
                }

                if (attempt > 1)
                {
                    await PublishAsync($"The journal was reconciled after {attempt} attempts", resolved: true, stoppingToken).ConfigureAwait(false);
                }

                return Takeover.Done;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                var elapsed = timeProvider.GetElapsedTime(started);
                if (attempt == 1)
                {
                    var when = _leadership.IsShared ? $"taking over as the leader (fencing token {_leadership.FencingToken})" : "at start";
                    await PublishAsync($"The daemon cannot reconcile its journal with the hypervisor {when} ({e.Message}); retrying for up to {options.StartupRetryFor}", resolved: false, stoppingToken).ConfigureAwait(false);
                }

                if (elapsed + delay > options.StartupRetryFor)
                {
                    var reason = $"journal recovery failed {attempt} times over {elapsed:hh\\:mm\\:ss}; last: {e.Message}";
                    Log.StartupGaveUp(logger, reason, e);
                    failure?.Fail(reason);
                    return Takeover.GaveUp;
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

/// <summary>How a takeover ended: done, abandoned because the daemon no longer leads, or given up (the daemon must stop).</summary>
internal enum Takeover
{
    Done,
    NotLeader,
    GaveUp,
}

/// <summary>
/// Work a daemon does when it becomes the leader, after the journal is reconciled and before its first acting pass (the
/// real datacenter brings its placements up to date from the journal and the hypervisor).
/// </summary>
public interface ILeaderTakeover
{
    Task TakeOverAsync(CancellationToken cancellationToken);
}

/// <summary>Why the daemon stopped itself at start, if it did: the executable exits non-zero when <see cref="Reason"/> is set.</summary>
public sealed class StartupFailure
{
    private string? _reason;

    public string? Reason => Volatile.Read(ref _reason);

    internal void Fail(string reason) => Volatile.Write(ref _reason, reason);
}
