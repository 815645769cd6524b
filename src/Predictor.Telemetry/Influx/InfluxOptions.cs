using System.ComponentModel.DataAnnotations;
using Predictor.Core.Configuration;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Telemetry.Influx;

/// <summary>Where and how Predictor talks to InfluxDB's v1 HTTP API (InfluxDB 1.x, or 2.x/3.x compatibility).</summary>
[OptionsSection("Influx")]
public sealed class InfluxOptions : IValidatableObject
{
    /// <summary>Base address, e.g. <c>http://127.0.0.1:8086/</c>.</summary>
    /// <value>The default value is <c>http://127.0.0.1:8086/</c>.</value>
    public Uri BaseAddress { get; set; } = new("http://127.0.0.1:8086/");

    /// <summary>Database (v1) or bucket mapped to it (v2 compatibility).</summary>
    /// <value>The default value is <c>telemetry</c>.</value>
    [NotEmpty(Expected = "a database name")]
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
    [InRange(1, 1_000_000)]
    public int BatchLines { get; set; } = 5000;

    /// <summary>Whether write bodies are gzip-compressed.</summary>
    /// <value>The default value is true.</value>
    public bool Gzip { get; set; } = true;

    /// <summary>Time allowed for one HTTP attempt.</summary>
    /// <value>The default value is 10 seconds.</value>
    [InRange(typeof(TimeSpan), "00:00:00", "00:10:00", MinimumIsExclusive = true)]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after a transient failure (connection error, timeout, 5xx, 429), with exponential backoff and jitter.</summary>
    /// <value>The default value is 4.</value>
    [InRange(0, 20)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>Delay before the first retry; later retries back off exponentially.</summary>
    /// <value>The default value is 200 milliseconds.</value>
    [InRange(typeof(TimeSpan), "00:00:00", InRangeAttribute.Unbounded, MinimumIsExclusive = true)]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long the circuit stays open once it breaks (failure ratio 0.5 over 30 s, at least 8 calls).</summary>
    /// <value>The default value is 15 seconds.</value>
    [InRange(typeof(TimeSpan), "00:00:00.5", InRangeAttribute.Unbounded)]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Rows per chunk requested from chunked queries.</summary>
    /// <value>The default value is 10000.</value>
    [InRange(1, int.MaxValue)]
    public int QueryChunkSize { get; set; } = 10_000;

    /// <summary>The rules no attribute states: an http address, and one way to authenticate.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (!BaseAddress.IsAbsoluteUri || BaseAddress.Scheme is not ("http" or "https"))
        {
            yield return OptionsError.Invalid("Influx:BaseAddress", "not an http address", BaseAddress, "an absolute http or https address");
        }

        if (Token is not null && (Username is not null || Password is not null))
        {
            yield return OptionsError.Problem("Influx:Token", "exclusive with Influx:Username and Influx:Password (expected one way to authenticate)");
        }

        if ((Username is null) != (Password is null))
        {
            yield return OptionsError.Problem(Username is null ? "Influx:Username" : "Influx:Password", "missing (expected Influx:Username and Influx:Password set together)");
        }
    }
}
