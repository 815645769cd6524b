using Predictor.Telemetry.LineProtocol;

namespace Predictor.Telemetry.Influx;

/// <summary>Where and how Predictor talks to InfluxDB's v1 HTTP API (InfluxDB 1.x, or 2.x/3.x compatibility).</summary>
public sealed class InfluxOptions
{
    /// <summary>Base address, e.g. <c>http://127.0.0.1:8086/</c>.</summary>
    /// <value>The default value is <c>http://127.0.0.1:8086/</c>.</value>
    public Uri BaseAddress { get; set; } = new("http://127.0.0.1:8086/");

    /// <summary>Database (v1) or bucket mapped to it (v2 compatibility).</summary>
    /// <value>The default value is <c>telemetry</c>.</value>
    public string Database { get; set; } = "telemetry";

    /// <summary>Retention policy for writes; null uses the database's default.</summary>
    /// <value>The default value is null.</value>
    public string? RetentionPolicy { get; set; }

    /// <summary>User for basic authentication (with <see cref="Password"/>); null for none.</summary>
    /// <value>The default value is null.</value>
    public string? Username { get; set; }

    /// <value>The default value is null.</value>
    public string? Password { get; set; }

    /// <summary>Token sent as <c>Authorization: Token …</c> (InfluxDB 1.8+ and 2.x); exclusive with basic auth.</summary>
    /// <value>The default value is null.</value>
    public string? Token { get; set; }

    /// <summary>Precision of timestamps in written batches.</summary>
    /// <value>The default value is <see cref="TimestampPrecision.Nanoseconds"/>.</value>
    public TimestampPrecision Precision { get; set; } = TimestampPrecision.Nanoseconds;

    /// <summary>Lines per HTTP write; larger payloads are split at line boundaries.</summary>
    /// <value>The default value is 5000.</value>
    public int BatchLines { get; set; } = 5000;

    /// <summary>Whether write bodies are gzip-compressed.</summary>
    /// <value>The default value is true.</value>
    public bool Gzip { get; set; } = true;

    /// <summary>Time allowed for one HTTP attempt.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after a transient failure (connection error, timeout, 5xx, 429), with exponential backoff and jitter.</summary>
    /// <value>The default value is 4.</value>
    public int MaxRetries { get; set; } = 4;

    /// <summary>Delay before the first retry; later retries back off exponentially.</summary>
    /// <value>The default value is 200 milliseconds.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long the circuit stays open once it breaks (failure ratio 0.5 over 30 s, at least 8 calls).</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Rows per chunk requested from chunked queries.</summary>
    /// <value>The default value is 10000.</value>
    public int QueryChunkSize { get; set; } = 10_000;

    /// <summary>Every problem at once, or an empty list.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!BaseAddress.IsAbsoluteUri || BaseAddress.Scheme is not ("http" or "https"))
        {
            errors.Add($"Influx:BaseAddress '{BaseAddress}' must be an absolute http or https address.");
        }

        if (string.IsNullOrWhiteSpace(Database))
        {
            errors.Add("Influx:Database must not be empty.");
        }

        if (Token is not null && (Username is not null || Password is not null))
        {
            errors.Add("Influx:Token and Influx:Username/Password are exclusive; set one way to authenticate.");
        }

        if ((Username is null) != (Password is null))
        {
            errors.Add("Influx:Username and Influx:Password must be set together.");
        }

        if (BatchLines is < 1 or > 1_000_000)
        {
            errors.Add($"Influx:BatchLines is {BatchLines}; expected 1 to 1000000.");
        }

        if (AttemptTimeout <= TimeSpan.Zero || AttemptTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Influx:AttemptTimeout is {AttemptTimeout}; expected more than 0 and at most 10 minutes.");
        }

        if (MaxRetries is < 0 or > 20)
        {
            errors.Add($"Influx:MaxRetries is {MaxRetries}; expected 0 to 20.");
        }

        if (RetryDelay <= TimeSpan.Zero)
        {
            errors.Add($"Influx:RetryDelay is {RetryDelay}; expected more than 0.");
        }

        if (BreakDuration < TimeSpan.FromSeconds(0.5))
        {
            errors.Add($"Influx:BreakDuration is {BreakDuration}; expected at least 0.5 s (Polly's minimum).");
        }

        if (QueryChunkSize < 1)
        {
            errors.Add($"Influx:QueryChunkSize is {QueryChunkSize}; expected at least 1.");
        }

        return errors;
    }

    /// <summary>Throws one exception naming every problem.</summary>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid InfluxDB options: " + string.Join(" ", errors));
        }
    }
}
