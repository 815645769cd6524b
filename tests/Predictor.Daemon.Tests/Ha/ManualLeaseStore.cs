using Predictor.Daemon.Ha;

namespace Predictor.Daemon.Tests.Ha;

/// <summary>
/// The lease's rules on the test's clock, for the election's unit tests (the real store is tested against PostgreSQL):
/// renew when the claim holds it, take it with the next token once expired. A node can be cut off: its claims then fail
/// as a database out of reach would.
/// </summary>
internal sealed class ManualLeaseStore(TimeProvider clock) : ILeaseStore
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _cut = new(StringComparer.Ordinal);
    private string? _holder;
    private Guid _instance;
    private long _token;
    private DateTimeOffset _acquired;
    private DateTimeOffset _renewed;
    private DateTimeOffset _expires = DateTimeOffset.MinValue;

    /// <summary>Every term: its token, holder and when it was taken.</summary>
    public List<(long Token, string Holder, DateTimeOffset At)> Terms { get; } = [];

    public void Cut(string node)
    {
        lock (_gate)
        {
            _cut.Add(node);
        }
    }

    public Task<LeaseView> ClaimAsync(LeaseClaim claim, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_cut.Contains(claim.NodeId))
            {
                return Task.FromException<LeaseView>(new TimeoutException($"{claim.NodeId} cannot reach the database"));
            }

            var now = clock.GetUtcNow();
            var holds = _instance == claim.Instance && _token == claim.RenewToken && _expires > now;
            if (holds || _expires <= now)
            {
                if (!holds)
                {
                    _token++;
                    _acquired = now;
                    Terms.Add((_token, claim.NodeId, now));
                }

                (_holder, _instance, _renewed, _expires) = (claim.NodeId, claim.Instance, now, now + claim.Timeout);
                return Task.FromResult(View(true, now));
            }

            return Task.FromResult(View(false, now));
        }
    }

    public Task ReleaseAsync(LeaseClaim claim, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_instance == claim.Instance && _token == claim.RenewToken)
            {
                _expires = clock.GetUtcNow();
            }
        }

        return Task.CompletedTask;
    }

    private LeaseView View(bool mine, DateTimeOffset now) => new(mine, _holder, null, _token, _acquired, _renewed, _expires, now);
}
