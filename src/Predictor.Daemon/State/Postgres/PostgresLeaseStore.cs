using Predictor.Daemon.Ha;

namespace Predictor.Daemon.State.Postgres;

/// <summary>
/// The lease in PostgreSQL: one statement renews it (same instance and token, not expired) or takes it when it has expired
/// (the token grows by one; the new term is written to <c>predictor_leaders</c>), all judged by <c>clock_timestamp()</c>,
/// the database's clock; the row lock makes two standbys' claims on an expired lease take turns, and only the first wins.
/// A claim that did not take or renew it reads the lease again in a statement of its own, to see the winner.
/// </summary>
public sealed class PostgresLeaseStore(PostgresDatabase database) : ILeaseStore
{
    private const string Claim = """
        WITH clock AS (SELECT clock_timestamp() AS t),
        taken AS (
            UPDATE predictor_lease l SET
                fencing_token = CASE WHEN l.holder_instance = $2 AND l.fencing_token = $4 AND l.expires_at > c.t THEN l.fencing_token ELSE l.fencing_token + 1 END,
                acquired_at = CASE WHEN l.holder_instance = $2 AND l.fencing_token = $4 AND l.expires_at > c.t THEN l.acquired_at ELSE c.t END,
                holder = $1, holder_instance = $2, holder_url = $3, renewed_at = c.t, expires_at = c.t + $5
            FROM clock c
            WHERE l.id = 1 AND ((l.holder_instance = $2 AND l.fencing_token = $4 AND l.expires_at > c.t) OR l.expires_at <= c.t)
            RETURNING l.holder, l.holder_url, l.fencing_token, l.acquired_at, l.renewed_at, l.expires_at),
        history AS (
            INSERT INTO predictor_leaders (fencing_token, holder, holder_url, acquired_at)
            SELECT fencing_token, holder, holder_url, acquired_at FROM taken WHERE acquired_at = renewed_at
            ON CONFLICT (fencing_token) DO NOTHING)
        SELECT true, holder, holder_url, fencing_token, acquired_at, renewed_at, expires_at, (SELECT t FROM clock) FROM taken
        """;

    /// <summary>The lease as it is now, read in a statement of its own: a claim that lost a race saw the row from before the winner's.</summary>
    private const string Current = "SELECT false, holder, holder_url, fencing_token, acquired_at, renewed_at, expires_at, clock_timestamp() FROM predictor_lease WHERE id = 1";

    public async Task<LeaseView> ClaimAsync(LeaseClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await using (var command = database.Command(Claim, claim.NodeId, claim.Instance, claim.Url?.ToString(), claim.RenewToken, claim.Timeout))
        {
            if (await ReadAsync(command, cancellationToken).ConfigureAwait(false) is { } taken)
            {
                return taken;
            }
        }

        await using var current = database.Command(Current);
        return await ReadAsync(current, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"the lease row of {database.Target} is missing (predictor_lease id 1)");
    }

    public async Task ReleaseAsync(LeaseClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await using var command = database.Command(
            "UPDATE predictor_lease SET expires_at = clock_timestamp() WHERE id = 1 AND holder_instance = $1 AND fencing_token = $2", claim.Instance, claim.RenewToken);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<LeaseView?> ReadAsync(Npgsql.NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        DateTimeOffset? At(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
        return new LeaseView(
            reader.GetBoolean(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : new Uri(reader.GetString(2)),
            reader.GetInt64(3), At(4), At(5), ExpiresAt(reader.GetFieldValue<DateTime>(6)), reader.GetFieldValue<DateTimeOffset>(7));
    }

    /// <summary>A lease never held expires at -infinity, which no <see cref="DateTimeOffset"/> holds: the earliest one stands for it.</summary>
    private static DateTimeOffset ExpiresAt(DateTime value) =>
        value == DateTime.MinValue ? DateTimeOffset.MinValue : new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
