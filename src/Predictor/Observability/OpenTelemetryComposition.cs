using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Predictor.Daemon.Observability;
using Predictor.Daemon.Pipeline;
using Predictor.Execution.Executor;

namespace Predictor.Observability;

/// <summary>Traces, metrics and trace-correlated logs over OTLP when <c>OpenTelemetry:Endpoint</c> is set.</summary>
internal static class OpenTelemetryComposition
{
    /// <summary>Every meter of the product (<c>Predictor.Daemon</c>, <c>Predictor.Telemetry</c>, …).</summary>
    private const string ProductMeters = "Predictor.*";

    public static void AddPredictorOpenTelemetry(this WebApplicationBuilder builder)
    {
        // log lines carry the trace and span of the pass or step they were written in
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        var options = builder.Configuration.GetSection(OpenTelemetryOptions.SectionName).Get<OpenTelemetryOptions>() ?? new OpenTelemetryOptions();
        if (options.Endpoint is not { IsAbsoluteUri: true } endpoint)
        {
            return; // nothing to export to (an invalid address is reported by the options check at start)
        }

        builder.Services.Configure<Microsoft.Extensions.Logging.Console.SimpleConsoleFormatterOptions>(o => o.IncludeScopes = true);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(options.ServiceName))
            .WithTracing(t => t
                .AddSource(PassTracing.SourceName, StepTracing.SourceName)
                .AddOtlpExporter(o => Target(o, options.Protocol, endpoint, "v1/traces")))
            .WithMetrics(m => m
                .AddMeter(ProductMeters)
                .AddOtlpExporter((o, reader) =>
                {
                    Target(o, options.Protocol, endpoint, "v1/metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.MetricsInterval.TotalMilliseconds;
                }));
    }

    /// <summary>OTLP/HTTP takes the signal's path on the receiver's address; gRPC takes the address as it is.</summary>
    private static void Target(OtlpExporterOptions o, OtlpProtocol protocol, Uri endpoint, string signalPath)
    {
        o.Protocol = protocol == OtlpProtocol.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        o.Endpoint = protocol == OtlpProtocol.HttpProtobuf ? new Uri(endpoint, signalPath) : endpoint;
    }
}
