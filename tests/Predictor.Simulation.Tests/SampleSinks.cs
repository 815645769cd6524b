using System.Security.Cryptography;
using System.Text;
using Predictor.Core.Telemetry;
using Predictor.Testing.Telemetry;

namespace Predictor.Simulation.Tests;

/// <summary>A SHA-256 over every sample in order (host, signal, component, time, value bits).</summary>
internal sealed class HashSink : ITelemetrySink, IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long Count { get; private set; }

    public void Write(in TelemetrySample sample)
    {
        Span<byte> numbers = stackalloc byte[16];
        BitConverter.TryWriteBytes(numbers, sample.Time.UtcTicks);
        BitConverter.TryWriteBytes(numbers[8..], BitConverter.DoubleToInt64Bits(sample.Value));
        _hash.AppendData(Encoding.UTF8.GetBytes($"{sample.Host}|{sample.Signal}|{sample.Component}|"));
        _hash.AppendData(numbers);
        Count++;
    }

    public string Finish() => Convert.ToHexString(_hash.GetHashAndReset());

    public void Dispose() => _hash.Dispose();
}

internal static class Fleets
{
    public static SimulationOptions Small(int seed = 7) => new() { Hosts = 20, Seed = seed, Duration = TimeSpan.FromDays(1) };

    /// <summary>A fleet where nearly every host fails within three days, for precursor statistics.</summary>
    public static SimulatedFleet Failing(int seed = 3, double noWarningShare = 0.25) => SimulatedFleet.Create(new SimulationOptions
    {
        Hosts = 120,
        Seed = seed,
        Duration = TimeSpan.FromDays(3),
        FailuresPerHostYear = 3000,
        NoWarningShare = noWarningShare,
    });

    public static string TelemetryHash(SimulatedFleet fleet)
    {
        using var sink = new HashSink();
        fleet.EmitTelemetry(fleet.Options.Start - fleet.Options.TelemetryInterval, fleet.Options.End, sink);
        return sink.Finish();
    }

    /// <summary>One host's samples of one signal and component, in time order.</summary>
    public static List<TelemetrySample> Series(SimulatedFleet fleet, string host, string signal, string? component = null)
    {
        var sink = new CollectingSink(s => s.Host == host && s.Signal == signal && (component is null || s.Component == component));
        fleet.EmitTelemetry(fleet.Options.Start - fleet.Options.TelemetryInterval, fleet.Options.End, sink);
        return [.. sink.Samples];
    }

    /// <summary>
    /// In one pass over the whole period: every sample of the given hosts and signals, keyed by
    /// (host, signal, component) in time order. Host-wide signals have component "".
    /// </summary>
    public static Dictionary<(string Host, string Signal, string Component), List<TelemetrySample>> SeriesOf(
        SimulatedFleet fleet, IEnumerable<string> hosts, params string[] signals)
    {
        var hostSet = hosts.ToHashSet(StringComparer.Ordinal);
        var result = new Dictionary<(string, string, string), List<TelemetrySample>>();
        var sink = new CollectingSink(s => hostSet.Contains(s.Host) && signals.Contains(s.Signal));
        fleet.EmitTelemetry(fleet.Options.Start - fleet.Options.TelemetryInterval, fleet.Options.End, sink);
        foreach (var sample in sink.Samples)
        {
            var key = (sample.Host, sample.Signal, sample.Component ?? "");
            if (!result.TryGetValue(key, out var list))
            {
                result[key] = list = [];
            }

            list.Add(sample);
        }

        return result;
    }

    /// <summary>The sample component behind a label's "kind:name".</summary>
    public static string ComponentName(FailureLabel label) => label.Component[(label.Component.IndexOf(':', StringComparison.Ordinal) + 1)..];
}
