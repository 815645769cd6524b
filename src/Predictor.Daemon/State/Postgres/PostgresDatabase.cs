using System.Globalization;
using Npgsql;
using Predictor.Daemon.Ha;
using Predictor.Execution.Journal;

namespace Predictor.Daemon.State.Postgres;

/// <summary>
/// The PostgreSQL database the daemons of one datacenter share: its connections (short timeouts, so that no call outlives
/// a lease), its schema (created once, by whichever daemon comes first, under an advisory lock), and the one way to
/// write: a batch that begins with <c>predictor_fence(token)</c>, which the database refuses (and with it the whole batch)
/// unless the token is the current lease's and the lease has not expired. The lease row is locked for share until the
/// batch commits, so a new leader cannot take over between the check and the write.
/// </summary>
public sealed class PostgresDatabase : IDisposable
{
    /// <summary>The SQLSTATE <c>predictor_fence</c> raises.</summary>
    public const string FencedSqlState = "PR001";

    private const long SchemaLockKey = 0x5072656469637401; // "Predict" + 1

    private readonly NpgsqlDataSource _source;
    private readonly Lock _schemaGate = new();
    private volatile bool _schemaReady;

    /// <param name="connectionString">From <see cref="HaOptions.ResolveConnectionString"/>.</param>
    /// <param name="options">The lease's timing: connection, command and cancellation timeouts default to fit in it.</param>
    public PostgresDatabase(string connectionString, HaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var defaults = new NpgsqlConnectionStringBuilder();
        var renew = (int)Math.Ceiling(options.RenewInterval.TotalSeconds);
        if (builder.Timeout == defaults.Timeout)
        {
            builder.Timeout = Math.Max(1, renew);
        }

        if (builder.CommandTimeout == defaults.CommandTimeout)
        {
            builder.CommandTimeout = Math.Max(2, (int)Math.Ceiling(options.LeaseTimeout.TotalSeconds / 2));
        }

        if (builder.CancellationTimeout == defaults.CancellationTimeout)
        {
            builder.CancellationTimeout = 500;
        }

        builder.ApplicationName ??= "predictor";
        // a transaction left open by a daemon cut off mid-batch must not hold the lease row for long
        var idle = (long)Math.Max(1000, options.StandDownMargin.TotalMilliseconds);
        builder.Options = $"{builder.Options} -c idle_in_transaction_session_timeout={idle.ToString(CultureInfo.InvariantCulture)}".Trim();
        Target = TargetOf(builder);
        _source = NpgsqlDataSource.Create(builder);
    }

    /// <summary>Host, port and database, for messages (never the password).</summary>
    public string Target { get; }

    /// <summary>Host, port and database of a connection string, for messages (never the password).</summary>
    public static string TargetOf(string connectionString) => TargetOf(new NpgsqlConnectionStringBuilder(connectionString));

    private static string TargetOf(NpgsqlConnectionStringBuilder builder) => $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";

    /// <summary>Called with the database's words when it refused a fenced write (the daemon must stand down).</summary>
    public Action<string>? Fenced { get; set; }

    /// <summary>Creates the tables and the fence once per process (idempotent across daemons).</summary>
    public void EnsureSchema()
    {
        if (_schemaReady)
        {
            return;
        }

        lock (_schemaGate)
        {
            if (_schemaReady)
            {
                return;
            }

            using var connection = Open();
            using var transaction = connection.BeginTransaction();
            using (var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaLockKey.ToString(CultureInfo.InvariantCulture)});" + Schema, connection, transaction))
            {
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            _schemaReady = true;
        }
    }

    /// <summary>Runs the statements as one fenced batch: all of them, or none when the token is not the leader's.</summary>
    /// <exception cref="FencedWriteException">The database refused the token.</exception>
    internal async Task WriteAsync(long token, IEnumerable<NpgsqlBatchCommand> statements, CancellationToken cancellationToken)
    {
        EnsureSchema();
        await using var batch = Fence(token, statements);
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == FencedSqlState)
        {
            throw Refused(e);
        }
    }

    /// <inheritdoc cref="WriteAsync"/>
    internal void Write(long token, IEnumerable<NpgsqlBatchCommand> statements)
    {
        EnsureSchema();
        using var batch = Fence(token, statements);
        try
        {
            batch.ExecuteNonQuery();
        }
        catch (PostgresException e) when (e.SqlState == FencedSqlState)
        {
            throw Refused(e);
        }
    }

    /// <summary>
    /// Runs the statements as one batch without a fence: for writers that hold no lease and decide nothing the leader
    /// decides (an operator's <c>predictor outcomes import</c>, whose rows are facts and idempotent).
    /// </summary>
    internal void WriteUnfenced(IEnumerable<NpgsqlBatchCommand> statements)
    {
        EnsureSchema();
        using var batch = _source.CreateBatch();
        foreach (var statement in statements)
        {
            batch.BatchCommands.Add(statement);
        }

        batch.ExecuteNonQuery();
    }

    internal NpgsqlCommand Command(string sql, params object?[] parameters)
    {
        EnsureSchema();
        var command = _source.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    internal static NpgsqlBatchCommand Statement(string sql, params object?[] parameters)
    {
        var statement = new NpgsqlBatchCommand(sql);
        foreach (var value in parameters)
        {
            statement.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return statement;
    }

    public void Dispose() => _source.Dispose();

    private NpgsqlConnection Open()
    {
        try
        {
            return _source.OpenConnection();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new NpgsqlException($"cannot reach the shared state at {Target} (Ha:ConnectionString): {e.Message}", e);
        }
    }

    private NpgsqlBatch Fence(long token, IEnumerable<NpgsqlBatchCommand> statements)
    {
        var batch = _source.CreateBatch();
        batch.BatchCommands.Add(Statement("SELECT predictor_fence($1)", token));
        foreach (var statement in statements)
        {
            batch.BatchCommands.Add(statement);
        }

        return batch;
    }

    private FencedWriteException Refused(PostgresException e)
    {
        Fenced?.Invoke(e.MessageText);
        return new FencedWriteException(e.MessageText, e);
    }

    /// <summary>
    /// The lease (one row), the history of its holders, the fence, the daemon's state (kind, key, JSON), the journal, the
    /// outcome and feature log (times as UTC ticks, as in SQLite, so a record reads back exactly) and owners' maintenance events.
    /// Every statement is idempotent: daemons of different versions may meet here.
    /// </summary>
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS predictor_lease (
            id integer PRIMARY KEY CHECK (id = 1),
            holder text, holder_instance uuid, holder_url text,
            fencing_token bigint NOT NULL DEFAULT 0,
            acquired_at timestamptz, renewed_at timestamptz,
            expires_at timestamptz NOT NULL DEFAULT '-infinity');
        INSERT INTO predictor_lease (id) VALUES (1) ON CONFLICT (id) DO NOTHING;
        CREATE TABLE IF NOT EXISTS predictor_leaders (
            fencing_token bigint PRIMARY KEY, holder text NOT NULL, holder_url text, acquired_at timestamptz NOT NULL);
        CREATE OR REPLACE FUNCTION predictor_fence(token bigint) RETURNS void LANGUAGE plpgsql AS $fence$
        DECLARE lease predictor_lease%ROWTYPE;
        BEGIN
            SELECT * INTO lease FROM predictor_lease WHERE id = 1 FOR SHARE;
            IF lease.fencing_token <> token THEN
                RAISE EXCEPTION 'fencing token % is superseded: % holds the lease with token %', token, coalesce(lease.holder, 'nobody'), lease.fencing_token
                    USING ERRCODE = 'PR001';
            END IF;
            IF lease.expires_at <= clock_timestamp() THEN
                RAISE EXCEPTION 'the lease of fencing token % expired at %', token, lease.expires_at USING ERRCODE = 'PR001';
            END IF;
        END $fence$;
        CREATE TABLE IF NOT EXISTS predictor_state (
            kind text NOT NULL, key text NOT NULL, value text NOT NULL, fencing_token bigint NOT NULL,
            written_at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (kind, key));
        CREATE TABLE IF NOT EXISTS predictor_journal_steps (
            step_id text PRIMARY KEY, plan_id text NOT NULL, kind text NOT NULL, target text NOT NULL, from_host text NOT NULL,
            to_host text, state text NOT NULL, at timestamptz NOT NULL, message text, paused_vms text[], fencing_token bigint NOT NULL);
        CREATE INDEX IF NOT EXISTS predictor_journal_steps_state ON predictor_journal_steps (state);
        CREATE TABLE IF NOT EXISTS predictor_journal_transitions (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, step_id text NOT NULL, plan_id text NOT NULL, kind text NOT NULL,
            target text NOT NULL, from_host text NOT NULL, to_host text, state text NOT NULL, at timestamptz NOT NULL, message text,
            paused_vms text[], fencing_token bigint NOT NULL, written_at timestamptz NOT NULL DEFAULT clock_timestamp());
        CREATE INDEX IF NOT EXISTS predictor_journal_transitions_target ON predictor_journal_transitions (target, seq);
        CREATE TABLE IF NOT EXISTS predictor_outcomes (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, host text NOT NULL, at bigint NOT NULL, kind text NOT NULL,
            component text NOT NULL DEFAULT '', cause text NOT NULL DEFAULT '', source text NOT NULL,
            model_version text, probability double precision, detail text, fencing_token bigint,
            written_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            UNIQUE (host, at, kind, component, cause, source));
        CREATE INDEX IF NOT EXISTS predictor_outcomes_at ON predictor_outcomes (at);
        CREATE TABLE IF NOT EXISTS predictor_feature_sets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, names text NOT NULL UNIQUE);
        CREATE TABLE IF NOT EXISTS predictor_features (
            at bigint NOT NULL, host text NOT NULL, last_seen bigint, set_id bigint NOT NULL REFERENCES predictor_feature_sets (id),
            vals double precision[] NOT NULL, fencing_token bigint NOT NULL, PRIMARY KEY (at, host));
        CREATE TABLE IF NOT EXISTS predictor_owner_events (
            id text PRIMARY KEY, vm text NOT NULL, owner text, host text NOT NULL, kind text NOT NULL, reason text NOT NULL,
            not_before timestamptz NOT NULL, blackout_ms bigint NOT NULL, window_start timestamptz NOT NULL, window_end timestamptz NOT NULL,
            state text NOT NULL, choice text NOT NULL, updated_at timestamptz NOT NULL, fencing_token bigint NOT NULL);
        """;
}
