using System.Globalization;
using BenchmarkDotNet.Attributes;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Benchmarks.Telemetry;

/// <summary>
/// Parsing typical host-telemetry lines (one measurement, two tags, ten fields of mixed types, a
/// nanosecond timestamp). Mean time is per line: lines/s = 1e9 / Mean[ns].
/// <c>dotnet run -c Release --project tests/Predictor.Benchmarks -- --filter '*LineProtocolParse*'</c>
/// </summary>
[MemoryDiagnoser]
public class LineProtocolParseBenchmark
{
    private const int Lines = 10_000;
    private readonly LineProtocolScratch _scratch = new();
    private byte[] _batch = [];

    [GlobalSetup]
    public void Setup()
    {
        _batch = HostTelemetryLines.Create(Lines, i => $"h{i % 5000:D5}", i => (1767225600000000000L + i * 60_000_000_000L).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Parse and read every field as a number: what the signal mapping does per line.</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public double ParseAndReadFields()
    {
        var reader = new LineProtocolReader(_batch, TimestampPrecision.Nanoseconds, _scratch);
        var sum = 0.0;
        while (reader.Read() == LineReadResult.Point)
        {
            for (var f = 0; f < reader.FieldCount; f++)
            {
                reader.GetField(f).TryGetNumber(out var v);
                sum += v;
            }

            if (reader.TryGetTag("host"u8, out var host))
            {
                sum += host.Raw.Length;
            }
        }

        return sum;
    }
}
