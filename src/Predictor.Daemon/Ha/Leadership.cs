using Microsoft.Extensions.Logging;

namespace Predictor.Daemon.Ha;

/// <summary>
/// Whether this daemon may act (plan and execute) now, and under which fencing token. A daemon that runs alone is the
/// leader for good, with token 0. With shared state, <see cref="LeaderElection"/> makes it the leader when it takes the
/// lease and keeps it there while it renews; a local timer stands it down <see cref="HaOptions.StandDownMargin"/> before
/// its lease can expire if no renewal got through, whatever the renewal loop is doing, and a write the database fenced
/// off stands it down at once. Every change is announced (<see cref="Changed"/>) and wakes <see cref="WhenChangedAsync"/>.
/// </summary>
public sealed class Leadership : IDisposable
{
    private readonly TimeProvider _time;
    private readonly HaOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly ITimer? _deadline;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LeadershipRole _role;
    private long _token;
    private long _actingUntil;
    private LeaseView? _lease;
    private long _leaseSeenAt;
    private DateTimeOffset? _stoodDownAt;
    private string? _stoodDownBecause;

    private Leadership(string nodeId, bool shared, TimeProvider time, HaOptions options, ILogger logger)
    {
        NodeId = nodeId;
        IsShared = shared;
        _time = time;
        _options = options;
        _logger = logger;
        _role = shared ? LeadershipRole.Standby : LeadershipRole.Leader;
        if (shared)
        {
            _deadline = time.CreateTimer(_ => OnDeadline(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Told of every change of role (on the thread that made it; keep handlers short).</summary>
    public event Action<LeadershipChange>? Changed;

    public string NodeId { get; }

    /// <summary>True when several daemons share state and elect a leader; false for a daemon that runs alone.</summary>
    public bool IsShared { get; }

    /// <summary>True while this daemon may plan and execute.</summary>
    public bool IsLeader
    {
        get
        {
            lock (_gate)
            {
                return _role == LeadershipRole.Leader && (!IsShared || _time.GetTimestamp() < _actingUntil);
            }
        }
    }

    /// <summary>The token of this daemon's current (or last) term; what its journal and state writes carry.</summary>
    public long FencingToken => Interlocked.Read(ref _token);

    /// <summary>True while this daemon holds the lease, leading or handing over (it renews it).</summary>
    internal bool HoldsLease
    {
        get
        {
            lock (_gate)
            {
                return _role is LeadershipRole.Leader or LeadershipRole.HandingOver;
            }
        }
    }

    /// <summary>A daemon that runs alone: the leader for good, token 0.</summary>
    public static Leadership Alone(string nodeId, TimeProvider time) =>
        new(nodeId, shared: false, time, new HaOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    /// <summary>One of several daemons sharing state: a standby until <see cref="LeaderElection"/> wins it the lease.</summary>
    /// <param name="options">The lease's timing.</param>
    /// <param name="time">The machine's clock (the lease is real time, whatever clock the passes run on).</param>
    /// <param name="logger">Elections and stand-downs.</param>
    public static Leadership Shared(HaOptions options, TimeProvider time, ILogger<Leadership> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.ResolveNodeId(), shared: true, time, options, logger);
    }

    /// <summary>Completes at the next change of role, or after <paramref name="timeout"/> on <paramref name="clock"/> (the pass's), whichever comes first.</summary>
    public async Task WhenChangedAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        Task changed;
        lock (_gate)
        {
            changed = _changed.Task;
        }

        using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, clock, tick.Token);
        await Task.WhenAny(changed, delay).ConfigureAwait(false);
        await tick.CancelAsync().ConfigureAwait(false);
        await delay.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>What <c>/api/v1/status</c> shows: mode, role, the leader and the lease's age.</summary>
    public LeadershipStatus Status()
    {
        lock (_gate)
        {
            if (!IsShared)
            {
                return new LeadershipStatus("single", "leader", NodeId, NodeId, null, 0, null, null, null, null, null);
            }

            var role = _role == LeadershipRole.Leader && _time.GetTimestamp() < _actingUntil ? "leader" : _role == LeadershipRole.HandingOver ? "handing-over" : "standby";
            var seen = _lease is null ? TimeSpan.Zero : _time.GetElapsedTime(_leaseSeenAt);
            return new LeadershipStatus(
                "shared", role, NodeId, _lease?.Holder, _lease?.HolderUrl, _lease?.FencingToken ?? 0,
                _lease is { RenewedAt: { } renewed } ? Seconds(_lease.DatabaseNow - renewed + seen) : null,
                _lease is { AcquiredAt: { } acquired } ? Seconds(_lease.DatabaseNow - acquired + seen) : null,
                _lease is null ? null : Seconds(_lease.ExpiresAt - _lease.DatabaseNow - seen),
                _stoodDownAt, _stoodDownBecause);
        }
    }

    /// <summary>Why a standby refuses a change: names the leader (and where to reach it) when one is known.</summary>
    public string NotLeaderMessage()
    {
        var status = Status();
        var leader = status.Leader is { } holder && holder != NodeId && status.LeaseExpiresInSeconds > 0
            ? $"the leader is {holder}" + (status.LeaderUrl is { } url ? $" ({url})" : "") + ": send the request there"
            : "no leader holds the lease right now: retry in a few seconds";
        return $"this daemon ({NodeId}) is a standby and does not act; {leader}";
    }

    /// <summary>A shared store refused a write: a newer leader holds the lease, or this daemon's ran out. Stands down at once.</summary>
    public void Fenced(string message) => StandDown($"the database refused a write: {message}", abortRunning: true);

    /// <summary>This daemon took the lease (a new term, <paramref name="lease"/>'s token); it may act until its deadline.</summary>
    /// <param name="sentAt">When the request that took it was sent (<see cref="TimeProvider.GetTimestamp"/>): the lease counts from no earlier.</param>
    internal void Promote(LeaseView lease, long sentAt)
    {
        lock (_gate)
        {
            _role = LeadershipRole.Leader;
            Interlocked.Exchange(ref _token, lease.FencingToken);
            See(lease);
            ExtendFrom(sentAt);
        }

        Log.Elected(_logger, NodeId, lease.FencingToken, _options.LeaseTimeout);
        Announce(new LeadershipChange(true, lease.FencingToken, $"took the lease (fencing token {lease.FencingToken})", AbortRunning: false));
    }

    /// <summary>The lease was renewed by a request sent at <paramref name="sentAt"/>: acting is allowed until that moment plus the lease less the margin.</summary>
    internal void Renewed(LeaseView lease, long sentAt)
    {
        lock (_gate)
        {
            See(lease);
            if (_role is LeadershipRole.Leader or LeadershipRole.HandingOver)
            {
                ExtendFrom(sentAt);
            }
        }
    }

    /// <summary>Another daemon's lease, as a standby sees it (for the status and the refusal's message).</summary>
    internal void Observe(LeaseView lease)
    {
        lock (_gate)
        {
            See(lease);
        }
    }

    /// <summary>The daemon is stopping: it stops starting steps but keeps the lease (and renews it) while running steps finish.</summary>
    internal void HandOver()
    {
        lock (_gate)
        {
            if (_role != LeadershipRole.Leader)
            {
                return;
            }

            _role = LeadershipRole.HandingOver;
        }

        Announce(new LeadershipChange(false, FencingToken, "the daemon is stopping: no new steps, running ones finish", AbortRunning: false));
    }

    /// <summary>Stops acting now; <paramref name="abortRunning"/> cancels the steps still running (their VMs stay where they were).</summary>
    internal void StandDown(string reason, bool abortRunning)
    {
        lock (_gate)
        {
            if (_role == LeadershipRole.Standby || !IsShared)
            {
                return;
            }

            _role = LeadershipRole.Standby;
            _deadline?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _stoodDownAt = _time.GetUtcNow();
            _stoodDownBecause = reason;
        }

        Log.StoodDown(_logger, NodeId, FencingToken, reason);
        Announce(new LeadershipChange(false, FencingToken, reason, abortRunning));
    }

    public void Dispose() => _deadline?.Dispose();

    private static double Seconds(TimeSpan span) => Math.Round(span.TotalSeconds, 3);

    private void See(LeaseView lease)
    {
        _lease = lease;
        _leaseSeenAt = _time.GetTimestamp();
    }

    private void ExtendFrom(long sentAt)
    {
        var acting = _options.LeaseTimeout - _options.StandDownMargin;
        _actingUntil = sentAt + (long)(acting.TotalSeconds * _time.TimestampFrequency);
        var due = acting - _time.GetElapsedTime(sentAt);
        _deadline?.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private void OnDeadline()
    {
        bool due;
        lock (_gate)
        {
            due = _role != LeadershipRole.Standby && _time.GetTimestamp() >= _actingUntil;
        }

        if (due)
        {
            StandDown($"no renewal of the lease got through for {_options.LeaseTimeout - _options.StandDownMargin} (Ha:LeaseTimeout {_options.LeaseTimeout} less Ha:StandDownMargin {_options.StandDownMargin})", abortRunning: true);
        }
    }

    private void Announce(LeadershipChange change)
    {
        Changed?.Invoke(change);
        TaskCompletionSource fired;
        lock (_gate)
        {
            fired = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        fired.TrySetResult();
    }

    private enum LeadershipRole
    {
        Standby,
        Leader,
        HandingOver,
    }
}

/// <summary>A change of role.</summary>
/// <param name="Leading">True when this daemon may act from now on.</param>
/// <param name="FencingToken">The token of the term that began or ended.</param>
/// <param name="Reason">Why, for the log and the status.</param>
/// <param name="AbortRunning">When it stopped leading: cancel the steps still running (their VMs stay where they were).</param>
public sealed record LeadershipChange(bool Leading, long FencingToken, string Reason, bool AbortRunning);

/// <summary>The <c>ha</c> part of <c>/api/v1/status</c>.</summary>
/// <param name="Mode"><c>single</c> (one daemon, local files) or <c>shared</c> (PostgreSQL, elected leader).</param>
/// <param name="Role"><c>leader</c>, <c>standby</c> or <c>handing-over</c> (stopping: running steps finish, nothing new starts).</param>
/// <param name="NodeId">This daemon.</param>
/// <param name="Leader">Who holds the lease as last seen (possibly an expired holder: see <paramref name="LeaseExpiresInSeconds"/>).</param>
/// <param name="LeaderUrl">Where the leader's API is, when it advertises one.</param>
/// <param name="FencingToken">The lease's token as last seen.</param>
/// <param name="LeaseAgeSeconds">Since the lease was last renewed, by the database's clock.</param>
/// <param name="LeaderForSeconds">Since the holder took the lease.</param>
/// <param name="LeaseExpiresInSeconds">Until the lease runs out unless renewed (negative: it has).</param>
/// <param name="StoodDownAt">When this daemon last stopped leading.</param>
/// <param name="StoodDownBecause">Why.</param>
public sealed record LeadershipStatus(
    string Mode, string Role, string NodeId, string? Leader, Uri? LeaderUrl, long FencingToken, double? LeaseAgeSeconds, double? LeaderForSeconds,
    double? LeaseExpiresInSeconds, DateTimeOffset? StoodDownAt, string? StoodDownBecause);
