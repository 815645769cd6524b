namespace Predictor.Core.Telemetry;

/// <summary>
/// One reading of one signal of one host, after mapping from its source (line protocol, InfluxQL,
/// node_exporter). <paramref name="Component"/> names the disk, DIMM, fan, PSU or NIC when a host has
/// several; it is null for host-wide signals.
/// </summary>
public readonly record struct TelemetrySample(string Host, string Signal, string? Component, DateTimeOffset Time, double Value);

/// <summary>Where mapped samples go: the daemon's per-host windows, a file, a test.</summary>
public interface ITelemetrySink
{
    void Write(in TelemetrySample sample);
}
