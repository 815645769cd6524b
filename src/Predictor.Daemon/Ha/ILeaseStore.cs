namespace Predictor.Daemon.Ha;

/// <summary>
/// The lease the daemons of one datacenter compete for: one row, its holder, a fencing token that grows by one at every
/// new holder (or new term of the same one), and an expiry judged by the store's own clock.
/// </summary>
public interface ILeaseStore
{
    /// <summary>
    /// Renews the lease when <paramref name="claim"/> holds it (same instance and token, not expired), takes it with the next
    /// token when it has expired, and otherwise leaves it; returns the lease as it is afterwards.
    /// </summary>
    Task<LeaseView> ClaimAsync(LeaseClaim claim, CancellationToken cancellationToken);

    /// <summary>Ends the claim's lease now (a clean stop), so a standby need not wait for it to expire.</summary>
    Task ReleaseAsync(LeaseClaim claim, CancellationToken cancellationToken);
}

/// <summary>A daemon's claim on the lease.</summary>
/// <param name="NodeId">The daemon's name.</param>
/// <param name="Instance">This process: a restarted daemon is a new holder, with a new term.</param>
/// <param name="Url">Where its API is, for the standbys' refusals.</param>
/// <param name="RenewToken">The token of the term it holds and may renew; -1 when it holds none (it can only take an expired lease).</param>
/// <param name="Timeout">How long the lease lasts from now.</param>
public sealed record LeaseClaim(string NodeId, Guid Instance, Uri? Url, long RenewToken, TimeSpan Timeout);

/// <summary>The lease after a claim.</summary>
/// <param name="Mine">True when the claim holds it now.</param>
/// <param name="Holder">Its holder (perhaps expired), null when nobody ever held it.</param>
/// <param name="HolderUrl">Where the holder's API is, if it said.</param>
/// <param name="FencingToken">The current term's token.</param>
/// <param name="AcquiredAt">When the holder took it, by the store's clock.</param>
/// <param name="RenewedAt">When it was last renewed, by the store's clock.</param>
/// <param name="ExpiresAt">When it runs out unless renewed, by the store's clock.</param>
/// <param name="DatabaseNow">The store's clock when it answered.</param>
public sealed record LeaseView(bool Mine, string? Holder, Uri? HolderUrl, long FencingToken, DateTimeOffset? AcquiredAt, DateTimeOffset? RenewedAt, DateTimeOffset ExpiresAt, DateTimeOffset DatabaseNow);
