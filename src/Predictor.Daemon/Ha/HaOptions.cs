using System.ComponentModel.DataAnnotations;
using Npgsql;
using Predictor.Core.Configuration;

namespace Predictor.Daemon.Ha;

/// <summary>
/// Two or more daemons for one datacenter: shared state in PostgreSQL and one leader among them, chosen by a lease with a
/// fencing token. Without a connection string the daemon runs alone on its SQLite files. Bound from section "Ha".
/// </summary>
[OptionsSection(SectionName)]
public sealed class HaOptions : IValidatableObject
{
    public const string SectionName = "Ha";

    /// <summary>
    /// The PostgreSQL database the daemons of one datacenter share (Npgsql form: <c>Host=db;Database=predictor;Username=predictor;Password=…</c>).
    /// A secret: set it from a file (<see cref="ConnectionStringFile"/>, or a credentials directory as <c>Ha__ConnectionString</c>), never log it.
    /// </summary>
    /// <value>The default value is null: the daemon runs alone.</value>
    public string? ConnectionString { get; set; }

    /// <summary>A file holding <see cref="ConnectionString"/> (surrounding whitespace ignored).</summary>
    /// <value>The default value is null.</value>
    public string? ConnectionStringFile { get; set; }

    /// <summary>This daemon's name in the lease and in <c>/api/v1/status</c>: unique among the datacenter's daemons.</summary>
    /// <value>The default value is null: the machine's host name.</value>
    public string? NodeId { get; set; }

    /// <summary>Where this daemon's API is reached by on-call, written in the lease so that a standby's refusal names it.</summary>
    /// <value>The default value is null.</value>
    public Uri? AdvertiseUrl { get; set; }

    /// <summary>
    /// How long a lease lasts after its last renewal, judged by the database's clock: a standby takes over at most this
    /// long after the leader's death.
    /// </summary>
    /// <value>The default value is 10 seconds.</value>
    [InRange(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the leader renews its lease and a standby looks whether it may take it.</summary>
    /// <value>The default value is 2 seconds.</value>
    [InRange(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A leader that could not renew stops acting this long before its lease can expire (counted from the moment it sent
    /// its last successful renewal, on its own clock), so its running steps are cancelled before a standby may start.
    /// </summary>
    /// <value>The default value is 3 seconds.</value>
    [InRange(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan StandDownMargin { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>True when a connection string (or its file) is configured.</summary>
    public bool IsShared => !string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(ConnectionStringFile);

    /// <summary>The node id in use: <see cref="NodeId"/>, else the machine's name.</summary>
    public string ResolveNodeId() => string.IsNullOrWhiteSpace(NodeId) ? Environment.MachineName : NodeId.Trim();

    /// <summary>The connection string: <see cref="ConnectionString"/>, or the contents of <see cref="ConnectionStringFile"/>.</summary>
    /// <exception cref="IOException">The file cannot be read (the start-up validation reports that first).</exception>
    public string? ResolveConnectionString() =>
        !string.IsNullOrWhiteSpace(ConnectionString) ? ConnectionString.Trim()
        : !string.IsNullOrWhiteSpace(ConnectionStringFile) ? File.ReadAllText(ConnectionStringFile).Trim()
        : null;

    /// <summary>The section's rules: one source of the connection string, readable and well-formed; renewals that fit in the lease.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        var both = !string.IsNullOrWhiteSpace(ConnectionString) && !string.IsNullOrWhiteSpace(ConnectionStringFile);
        if (both)
        {
            yield return OptionsError.Problem($"{SectionName}:{nameof(ConnectionStringFile)}", $"set together with {SectionName}:{nameof(ConnectionString)} (expected one of the two)");
        }

        if (ConnectionProblem() is { } problem)
        {
            yield return problem;
        }

        // the leader must get two renewal attempts before it stops acting, and stop before the lease expires
        var minimum = (2 * RenewInterval) + StandDownMargin;
        if (LeaseTimeout <= minimum)
        {
            yield return OptionsError.Invalid($"{SectionName}:{nameof(LeaseTimeout)}", $"too short for {SectionName}:{nameof(RenewInterval)} {RenewInterval} and {SectionName}:{nameof(StandDownMargin)} {StandDownMargin}",
                LeaseTimeout, $"more than twice the renew interval plus the stand-down margin ({minimum})");
        }

        if (AdvertiseUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
        {
            yield return OptionsError.Invalid($"{SectionName}:{nameof(AdvertiseUrl)}", "not an http or https address", AdvertiseUrl, "e.g. http://predictor-a.dc1:8080");
        }
    }

    private ValidationResult? ConnectionProblem()
    {
        if (!IsShared)
        {
            return null;
        }

        string text;
        try
        {
            text = ResolveConnectionString()!;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return OptionsError.Invalid($"{SectionName}:{nameof(ConnectionStringFile)}", $"cannot read the file: {e.Message}", ConnectionStringFile, "a readable file holding the connection string");
        }

        var key = $"{SectionName}:{(string.IsNullOrWhiteSpace(ConnectionString) ? nameof(ConnectionStringFile) : nameof(ConnectionString))}";
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(text);
            if (string.IsNullOrWhiteSpace(builder.Host))
            {
                return OptionsError.Problem(key, "the connection string names no Host (expected e.g. Host=db;Database=predictor;Username=predictor;Password=…)");
            }
        }
        catch (ArgumentException e)
        {
            // the connection string holds a password: the message names the problem, never the text
            return OptionsError.Problem(key, $"not a PostgreSQL connection string: {e.Message} (expected e.g. Host=db;Database=predictor;Username=predictor;Password=…)");
        }

        return null;
    }
}
