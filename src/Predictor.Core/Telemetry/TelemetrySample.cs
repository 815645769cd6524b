namespace Predictor.Core.Telemetry;

/// <summary>
/// One reading of one signal of one host, after mapping from its source (line protocol, InfluxQL,
/// node_exporter). <paramref name="Component"/> names the disk, DIMM, fan, PSU or NIC when a host has
/// several; it is null for host-wide signals.
/// </summary>
public readonly record struct TelemetrySample(string Host, string Signal, string? Component, DateTimeOffset Time, double Value);

/// <summary>One signal's value within a point: the host and time are the point's.</summary>
public readonly record struct SignalReading(string Signal, string? Component, double Value);

/// <summary>Where mapped samples go: the daemon's per-host windows, a file, a test.</summary>
public interface ITelemetrySink
{
    void Write(in TelemetrySample sample);

    /// <summary>
    /// Writes the readings of one point (one host, one time) at once. Stores override it to find the host and take its
    /// lock once per point instead of once per reading; the default writes them one by one.
    /// </summary>
    void Write(string host, DateTimeOffset time, ReadOnlySpan<SignalReading> readings)
    {
        foreach (var reading in readings)
        {
            Write(new TelemetrySample(host, reading.Signal, reading.Component, time, reading.Value));
        }
    }
}
