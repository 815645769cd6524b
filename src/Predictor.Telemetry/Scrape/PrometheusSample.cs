using System.Collections.Immutable;

namespace Predictor.Telemetry.Scrape;

/// <summary>One sample of the Prometheus text exposition format; <paramref name="TimestampMs"/> is null when the line had none.</summary>
public sealed record PrometheusSample(string Name, ImmutableDictionary<string, string> Labels, double Value, long? TimestampMs);

/// <summary>A line of an exposition that is not valid: 1-based line and column, and what was expected.</summary>
public sealed record PrometheusParseError(int Line, int Column, string Reason)
{
    public override string ToString() => $"line {Line}, column {Column}: {Reason}";
}
