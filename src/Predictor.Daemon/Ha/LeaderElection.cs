using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Predictor.Execution.Executor;

namespace Predictor.Daemon.Ha;

/// <summary>
/// Claims the lease every <see cref="HaOptions.RenewInterval"/>: the leader renews it, a standby takes it once it has
/// expired (it looks again right at the expiry it saw, so a dead leader is replaced within <see cref="HaOptions.LeaseTimeout"/>).
/// A failed claim is logged and counted and tried again; the leader's own deadline (in <see cref="Leadership"/>) stops it
/// acting whatever the claims do. On a clean stop the leader starts no new step, lets running ones finish while it still
/// renews, then releases the lease so a standby takes over at once.
/// </summary>
public sealed class LeaderElection(
    ILeaseStore store, Leadership leadership, HaOptions options, PlanExecutor executor, TimeProvider time, HaMetrics metrics, ILogger<LeaderElection> logger)
    : BackgroundService
{
    /// <summary>How long after a lease's expiry a standby claims it: the database must see it expired.</summary>
    private static readonly TimeSpan s_afterExpiry = TimeSpan.FromMilliseconds(20);

    private readonly Guid _instance = Guid.NewGuid();
    private readonly CancellationTokenSource _claiming = new();
    private int _failures;
    private string? _lastHolder;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (leadership.IsLeader)
        {
            leadership.HandOver();
            Log.HandingOver(logger, executor.RunningSteps);
            try
            {
                // the host's shutdown timeout bounds the wait; the loop keeps renewing meanwhile
                await executor.DrainAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // steps still running are aborted below
            }
        }

        await _claiming.CancelAsync().ConfigureAwait(false);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        var held = leadership.HoldsLease;
        var token = leadership.FencingToken;
        leadership.StandDown("the daemon is stopping", abortRunning: true);
        if (held)
        {
            try
            {
                using var bound = new CancellationTokenSource(options.RenewInterval, time);
                await store.ReleaseAsync(Claim(token), bound.Token).ConfigureAwait(false);
                Log.LeaseReleased(logger, token);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // the lease then simply expires
                Log.LeaseNotReleased(logger, token, e.Message);
            }
        }
    }

    public override void Dispose()
    {
        leadership.Changed -= CountStandDown;
        _claiming.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        leadership.Changed += CountStandDown;
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _claiming.Token);
        var token = running.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var delay = await ClaimOnceAsync(token).ConfigureAwait(false);
                await Task.Delay(delay, time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // stopping: StopAsync hands the lease over
                return;
            }
        }
    }

    /// <summary>One claim; returns how long to wait before the next.</summary>
    private async Task<TimeSpan> ClaimOnceAsync(CancellationToken cancellationToken)
    {
        var holding = leadership.HoldsLease;
        var sent = time.GetTimestamp();
        LeaseView lease;
        try
        {
            using var bound = new CancellationTokenSource(options.RenewInterval, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
            lease = await store.ClaimAsync(Claim(holding ? leadership.FencingToken : -1), linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.ClaimFailed();
            if (++_failures == 1 || _failures % 30 == 0)
            {
                Log.LeaseUnreachable(logger, _failures, holding ? "renew" : "claim", e.Message);
            }

            return options.RenewInterval;
        }

        if (_failures > 0)
        {
            Log.LeaseReachable(logger, _failures);
            _failures = 0;
        }

        if (lease.Mine && holding && lease.FencingToken == leadership.FencingToken)
        {
            leadership.Renewed(lease, sent);
            return options.RenewInterval;
        }

        if (holding)
        {
            // the term this daemon held is over (another took the lease, or it ran out and began anew)
            leadership.StandDown($"the lease is now {lease.Holder}'s, fencing token {lease.FencingToken}", abortRunning: true);
        }

        if (lease.Mine)
        {
            metrics.Elected();
            leadership.Promote(lease, sent);
            _lastHolder = lease.Holder;
            return options.RenewInterval;
        }

        leadership.Observe(lease);
        if (lease.Holder != _lastHolder)
        {
            _lastHolder = lease.Holder;
            Log.LeaderSeen(logger, lease.Holder ?? "nobody", lease.FencingToken, leadership.NodeId);
        }

        // look again right when the lease the holder last renewed runs out
        var untilExpiry = lease.ExpiresAt - lease.DatabaseNow - time.GetElapsedTime(sent) + s_afterExpiry;
        return untilExpiry < options.RenewInterval ? (untilExpiry > s_afterExpiry ? untilExpiry : s_afterExpiry) : options.RenewInterval;
    }

    private void CountStandDown(LeadershipChange change)
    {
        if (!change.Leading)
        {
            metrics.StoodDown();
        }
    }

    private LeaseClaim Claim(long token) => new(leadership.NodeId, _instance, options.AdvertiseUrl, token, options.LeaseTimeout);
}
