using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Predictor.Core.Configuration;

namespace Predictor.Daemon.Observability;

/// <summary>
/// Export of the daemon's traces (a span per pass and per executor step) and metrics over OTLP. Bound from configuration
/// section "OpenTelemetry"; nothing is exported without an <see cref="Endpoint"/>.
/// </summary>
[OptionsSection(SectionName)]
public sealed class OpenTelemetryOptions : IValidatableObject
{
    public const string SectionName = "OpenTelemetry";

    /// <summary>The OTLP receiver (a collector), e.g. <c>http://127.0.0.1:4318</c> for OTLP/HTTP or <c>:4317</c> for gRPC.</summary>
    /// <value>The default value is null: no export.</value>
    public Uri? Endpoint { get; set; }

    /// <value>The default value is <see cref="OtlpProtocol.HttpProtobuf"/>.</value>
    public OtlpProtocol Protocol { get; set; } = OtlpProtocol.HttpProtobuf;

    /// <summary>The <c>service.name</c> resource attribute.</summary>
    /// <value>The default value is "predictor".</value>
    [NotEmpty(Expected = "a service name")]
    public string ServiceName { get; set; } = "predictor";

    /// <summary>How often metrics are exported.</summary>
    /// <value>The default value is 60 seconds.</value>
    [InRange(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(60);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
        {
            yield return OptionsError.Invalid($"{SectionName}:{nameof(Endpoint)}", "not an absolute http or https address", endpoint, "e.g. http://127.0.0.1:4318");
        }
    }
}

/// <summary>How OTLP is carried.</summary>
public enum OtlpProtocol
{
    /// <summary>OTLP/HTTP with protobuf bodies (usually port 4318); the signal's path is appended to the endpoint.</summary>
    HttpProtobuf,

    /// <summary>OTLP/gRPC (usually port 4317).</summary>
    Grpc,
}

[OptionsValidator]
internal sealed partial class OpenTelemetryOptionsValidator : IValidateOptions<OpenTelemetryOptions>;
